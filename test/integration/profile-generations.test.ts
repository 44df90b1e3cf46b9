import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

const catalog = 'examples/catalog.json';
let home: TestHome;

afterEach(() => home?.cleanup());

const profiles = () => join(home.dir, 'home', 'profiles');
const current = () => readlinkSync(join(profiles(), 'profile'));
const json = async (...argv: string[]) => JSON.parse((await home.run(...argv, '--json')).stdout);

function snapshot(dir: string): Array<[string, string, number]> {
  return readdirSync(dir)
    .sort()
    .map((name) => [name, readlinkSync(join(dir, name)), lstatSync(join(dir, name)).mtimeMs]);
}

describe('generations through the CLI', () => {
  it('switches, undoes a switch, and restores a deleted generation as a new one', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    await home.run('profile', 'install', `${catalog}#greet`);
    await home.run('profile', 'install', `${catalog}#figlet-lite`);
    expect((await home.run('profile', 'switch-generation', '1')).code).toBe(0);
    expect(current()).toBe('profile-1-link');
    expect((await home.run('profile', 'undo')).code).toBe(0);
    expect(current()).toBe('profile-3-link');
    await home.run('profile', 'rollback');
    await home.run('profile', 'delete-generations', '1');
    expect(existsSync(join(profiles(), 'profile-1-link'))).toBe(false);
    expect((await home.run('profile', 'restore', '1')).code).toBe(0);
    expect(current()).toBe('profile-4-link');
    const { history } = await json('profile', 'history');
    const pathOf = (n: number) => history.find((h: { generation: number }) => h.generation === n).profilePath;
    expect(readlinkSync(join(profiles(), 'profile-4-link'))).toBe(pathOf(1));
    expect(history.find((h: { generation: number }) => h.generation === 1).deleted).toBe(true);
  });

  it('keeps the last N with +N and wipes all but the current', async () => {
    home = makeTestHome();
    for (const attr of ['hello', 'greet', 'figlet-lite']) await home.run('profile', 'install', `${catalog}#${attr}`);
    await home.run('profile', 'delete-generations', '+2');
    expect(readdirSync(profiles()).sort()).toEqual(['profile', 'profile-2-link', 'profile-3-link']);
    await home.run('profile', 'wipe-history');
    expect(readdirSync(profiles()).sort()).toEqual(['profile', 'profile-3-link']);
    expect((await home.run('profile', 'delete-generations', '3')).code).toBe(1);
  });

  it('sets a priority so that a colliding package can be installed', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    const prioritised = await home.run('profile', 'set-priority', 'hello', '4');
    expect(prioritised.code).toBe(0);
    expect(prioritised.stderr).toContain('\n  priority of hello 5 -> 4\n');
    expect((await home.run('profile', 'install', 'examples/catalog-next.json#hello')).code).toBe(0);
    const { elements } = await json('profile', 'list');
    expect(elements.map((e: { name: string; priority: number }) => [e.name, e.priority])).toEqual([
      ['hello', 4],
      ['hello-1', 5],
    ]);
    expect(readFileSync(join(profiles(), 'profile', 'share', 'doc', 'hello', 'README'), 'utf8')).toContain('1.0');
  });

  it('writes manifest version 3 on request, keyed by name', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', '--manifest-version', '3', `${catalog}#hello`);
    const manifest = JSON.parse(readFileSync(join(profiles(), 'profile', 'manifest.json'), 'utf8'));
    expect(manifest.version).toBe(3);
    expect(Object.keys(manifest.elements)).toEqual(['hello']);
    expect(manifest.elements.hello).toMatchObject({ active: true, priority: 5, attrPath: 'hello' });
  });

  it('diffs two generations, generation 0 included, with the RFC 6902 patch', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    await home.run('profile', 'upgrade', '--all');
    const diff = await json('profile', 'diff', '0', '1');
    expect(diff.added.map((e: { name: string }) => e.name)).toEqual(['hello']);
    expect(diff.patch).toEqual([{ op: 'add', path: '/elements/0', value: expect.objectContaining({ name: 'hello' }) }]);
  });

  it('restores deleted links exactly from the log with replay', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    await home.run('profile', 'install', `${catalog}#greet`);
    await home.run('profile', 'rollback');
    const before = snapshot(profiles());
    for (const name of readdirSync(profiles())) rmSync(join(profiles(), name));
    expect((await home.run('replay')).code).toBe(0);
    expect(snapshot(profiles())).toEqual(before);
    expect((await home.run('replay', '--dry-run')).stdout).toBe('');
  });

  it('removes a temporary GC root a crash left behind once, however many profiles replay projects', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    await home.run('-p', 'other', 'profile', 'install', `${catalog}#greet`);
    const autoRoots = join(home.dir, 'home', 'gcroots', 'auto');
    const leftover = join(autoRoots, `${'0'.repeat(32)}.tmp-4242-beef`);
    symlinkSync(join(profiles(), 'profile-1-link'), leftover);
    const unlinks = (report: { operations: Array<{ op: string; path: string }> }) => report.operations.filter((op) => op.op === 'unlink' && op.path === leftover);
    expect(unlinks(await json('replay', '--dry-run'))).toHaveLength(2);
    expect(unlinks(await json('replay'))).toHaveLength(1);
    expect(existsSync(leftover)).toBe(false);
    expect((await home.run('verify')).code).toBe(0);
  });

  it('shows the profile as it stood at an earlier seq or time', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    await home.run('profile', 'install', `${catalog}#greet`);
    const log = await json('log');
    const names = async (at: string) => (await json('profile', 'list', '--at', at)).elements.map((e: { name: string }) => e.name);
    expect(await names('2')).toEqual(['hello']);
    expect(await names(log[1].at)).toEqual(['hello']);
    expect(await names(log[2].at)).toEqual(['hello', 'greet']);
  });

  it('lists profiles with their generation, package count and closure size', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    await home.run('-p', 'per-user/alice/profile', 'profile', 'install', `${catalog}#greet`, `${catalog}#hello`);
    const { profiles: list } = await json('profiles');
    expect(list.map((p: { profile: string; generation: number; elements: number }) => [p.profile, p.generation, p.elements])).toEqual([
      ['per-user/alice/profile', 1, 2],
      ['profile', 1, 1],
    ]);
    expect(list[0].closureSize).toBeGreaterThan(list[1].closureSize);
  });

  it("refuses to change another user's per-user profile and profile names that escape", async () => {
    home = makeTestHome();
    const other = await home.run('-p', 'per-user/bob/profile', 'profile', 'install', `${catalog}#hello`);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("belongs to user 'bob'");
    for (const name of ['../escape', 'a/../../b', 'x/./y', '.hidden']) expect((await home.run('-p', name, 'profile', 'list')).code).toBe(2);
  });

  it('collects garbage outside the roots, records who did it, and keeps live paths', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    await home.run('profile', 'install', `${catalog}#greet`);
    await home.run('profile', 'remove', 'greet');
    const dry = await json('gc', '--dry-run');
    expect(dry.deleted).toEqual([]);
    await home.run('profile', 'wipe-history');
    const planned = await json('gc', '--dry-run');
    // Generation 3 (hello alone) is generation 1's profile path again, so only generation 2 and greet are dead.
    expect(planned.deleted.length).toBe(2);
    const done = await json('gc');
    expect([...done.deleted].sort()).toEqual([...planned.deleted].sort());
    expect(done.bytesFreed).toBeGreaterThan(0);
    expect((await home.run('store', 'verify', '--contents')).code).toBe(0);
    expect((await home.run('verify')).code).toBe(0);
    const gcEvents = await json('log', '--type', 'GarbageCollected');
    expect(gcEvents[0]).toMatchObject({ actor: { user: 'alice' } });
    expect([...gcEvents[0].data.deleted].sort()).toEqual([...done.deleted].sort());
    expect(readFileSync(join(profiles(), 'profile', 'bin', 'hello'), 'utf8')).toContain('Hello');
  });
});
