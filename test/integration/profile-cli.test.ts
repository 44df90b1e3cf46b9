import { existsSync, lstatSync, readFileSync, readlinkSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

const catalog = 'examples/catalog.json';
let home: TestHome;

afterEach(() => home?.cleanup());

function profileDir(h: TestHome): string {
  return `${h.dir}/home/profiles`;
}

describe('profile commands through the CLI', () => {
  it('installs catalog packages into a generation whose link points at a profile store path', async () => {
    home = makeTestHome();
    const result = await home.run('profile', 'install', `${catalog}#hello`, `${catalog}#greet`);
    expect(result.stderr).not.toContain('internal error');
    expect(result.code).toBe(0);
    const dir = profileDir(home);
    expect(readlinkSync(`${dir}/profile`)).toBe('profile-1-link');
    const target = readlinkSync(`${dir}/profile-1-link`);
    expect(target).toMatch(/\/store\/[0-9a-df-np-sv-z]{32}-profile$/);
    expect(readFileSync(`${dir}/profile/bin/hello`, 'utf8')).toContain('Hello');
    const manifest = JSON.parse(readFileSync(`${dir}/profile/manifest.json`, 'utf8'));
    expect(manifest.version).toBe(2);
    expect(manifest.elements.map((e: { attrPath: string }) => e.attrPath)).toEqual(['hello', 'greet']);
    const [, installed] = JSON.parse((await home.run('log', '--json')).stdout);
    expect(lstatSync(`${dir}/profile-1-link`).mtime.toISOString()).toBe(installed.at);
  });

  it('lists, removes, rolls back and keeps deleted generations in history', async () => {
    home = makeTestHome();
    expect((await home.run('profile', 'install', `${catalog}#hello`)).code).toBe(0);
    expect((await home.run('profile', 'install', `${catalog}#greet`)).code).toBe(0);
    const list = await home.run('profile', 'list', '--json');
    expect(JSON.parse(list.stdout).elements.map((e: { name: string }) => e.name)).toEqual(['hello', 'greet']);
    expect((await home.run('profile', 'remove', 'greet')).code).toBe(0);
    expect(readlinkSync(`${profileDir(home)}/profile`)).toBe('profile-3-link');
    expect((await home.run('profile', 'rollback')).code).toBe(0);
    expect(readlinkSync(`${profileDir(home)}/profile`)).toBe('profile-2-link');
    expect((await home.run('profile', 'delete-generations', '1')).code).toBe(0);
    expect(readdirSync(profileDir(home)).sort()).toEqual(['profile', 'profile-2-link', 'profile-3-link']);
    const history = JSON.parse((await home.run('profile', 'history', '--json')).stdout);
    expect(history.history.map((h: { generation: number; deleted: boolean }) => [h.generation, h.deleted])).toEqual([
      [1, true],
      [2, false],
      [3, false],
    ]);
    const old = JSON.parse((await home.run('profile', 'list', '--generation', '1', '--json')).stdout);
    expect(old.elements.map((e: { name: string }) => e.name)).toEqual(['hello']);
  });

  it('refuses an equal-priority collision with exit 1, naming both files, and changes nothing', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    const before = readdirSync(profileDir(home)).sort();
    const result = await home.run('profile', 'install', 'examples/catalog-next.json#hello');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/have the same priority 5/);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(2);
    expect(readdirSync(profileDir(home)).sort()).toEqual(before);
  });

  it('upgrades from a changed catalog, recording old and new versions', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    expect((await home.run('profile', 'upgrade', '--all')).stderr).toContain('nothing to do');
    const log = JSON.parse((await home.run('log', '--json')).stdout);
    expect(log.map((e: { type: string }) => e.type)).toEqual(['ProfileCreated', 'PackagesInstalled']);
  });

  it('rolls back from the first generation to an empty generation 0', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    expect((await home.run('profile', 'rollback')).code).toBe(0);
    expect(readlinkSync(`${profileDir(home)}/profile`)).toBe('profile-0-link');
    expect(JSON.parse((await home.run('profile', 'list', '--json')).stdout).elements).toEqual([]);
    const again = await home.run('profile', 'rollback');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no profile version older than the current (0) exists');
  });

  it('previews with --dry-run and writes nothing', async () => {
    home = makeTestHome();
    const result = await home.run('profile', 'install', '--dry-run', `${catalog}#hello`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('would append PackagesInstalled');
    expect(result.stdout).toMatch(/would link .*profile-1-link/);
    expect(readdirSync(`${home.dir}/home`)).not.toContain('profiles');
    expect(existsSync(`${home.dir}/home/store`) ? readdirSync(`${home.dir}/home/store`) : []).toEqual([]);
  });

  it('refuses with --expect-generation when the profile moved', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    const result = await home.run('profile', 'remove', 'hello', '--expect-generation', '7');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is at generation 1, not 7');
  });

  it('maps bad generation specs to exit 2', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    expect((await home.run('profile', 'delete-generations', '+0')).code).toBe(2);
    expect((await home.run('profile', 'delete-generations', 'xd')).code).toBe(2);
  });
});
