/**
 * The system profile's generation commands through the CLI: `system diff`
 * (closure changes, as `profile diff`), `system switch-generation` and
 * `system delete-generations` (the profile rules, never the boot default,
 * the booted or the running generation), `gc --keep` on the system
 * profile, and replay after a deletion.
 */
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withSession } from '../../src/app/session/session.js';
import { replaySystem } from '../../src/app/system/system-replay.js';
import type { World } from '../../src/world.js';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

const GEN_A = 'examples/system/gen-a';
const GEN_B = 'examples/system/gen-b';

let home: TestHome;

afterEach(() => home?.cleanup());

function systemHome(): TestHome {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  home = makeTestHome({ env });
  env.GENLEDGER_ACTIVATION_LOG = join(home.dir, 'activation.log');
  return home;
}

const root = () => join(home.dir, 'home');
const link = (relative: string) => readlinkSync(join(root(), relative));
const exists = (relative: string) => existsSync(join(root(), relative));

function activations(): string[] {
  const log = join(home.dir, 'activation.log');
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
}

async function ok(...argv: string[]): Promise<string> {
  const result = await home.run(...argv);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

async function events(): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  return JSON.parse(await ok('log', '--json'));
}

/** Another configuration: gen-a with another name and nixos-version. */
function genAlike(name: string): string {
  const dir = join(home.dir, name);
  cpSync(GEN_A, dir, { recursive: true });
  writeFileSync(join(dir, 'nixos-version'), `24.05.${name}\n`);
  return dir;
}

/** Generations 1 (gen-d), 2 (gen-a, booted), 3 (gen-b, running) and 4 (gen-c, the boot default). */
async function fourGenerations(): Promise<void> {
  await ok('system', 'switch', genAlike('gen-d'));
  await ok('system', 'switch', GEN_A);
  await ok('system', 'reboot');
  await ok('system', 'switch', GEN_B);
  await ok('system', 'boot', genAlike('gen-c'));
  const status = JSON.parse(await ok('system', 'status', '--json'));
  expect(status).toMatchObject({ bootDefault: { generation: 4 }, running: { generation: 3 }, booted: { generation: 2 } });
}

describe('system diff', () => {
  it('prints the closure changes between two generations, the toplevel as the direct change', async () => {
    systemHome();
    await ok('system', 'switch', GEN_A);
    await ok('system', 'switch', GEN_B);
    const diff = JSON.parse(await ok('system', 'diff', '1', '2', '--json'));
    expect(diff).toMatchObject({ profile: 'system', from: 1, to: 2 });
    expect(diff.fromPath).toMatch(/-gen-a$/);
    expect(diff.toPath).toMatch(/-gen-b$/);
    expect(diff.closure).toMatchObject({
      added: [{ name: 'gen-b', from: [], to: [''], direct: true }],
      removed: [{ name: 'gen-a', from: [''], to: [], direct: true }],
      upgraded: [],
      downgraded: [],
      changed: [],
      size: { exact: true },
    });
    expect(diff.closure.size.delta).toBe(diff.closure.size.to - diff.closure.size.from);
    const text = await ok('system', 'diff', '1', '2');
    expect(text).toMatch(/^~ system \S+-gen-a -> \S+-gen-b\nadded {6}direct {5}gen-b ε\nremoved {4}direct {5}gen-a ε\nclosure size: .* -> .* \(.*\)\n$/);
    expect(await ok('system', 'diff', 'previous')).toBe(text);
    expect(await ok('system', 'diff', '1')).toBe(text);
    expect(await ok('system', 'diff', 'current', '2')).toMatch(/^no package changes\nclosure size: (.+) -> \1 \(\+0 B\)\n$/);
  });

  it('refuses a generation that does not exist', async () => {
    systemHome();
    await ok('system', 'switch', GEN_A);
    const missing = await home.run('system', 'diff', '7', '--json');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('system generation 7 does not exist');
    expect((await home.run('system', 'diff', 'previous')).code).toBe(1);
    expect((await home.run('system', 'diff', 'x')).code).toBe(2);
  });
});

describe('system switch-generation', () => {
  it('makes generation N the boot default and activates it, recorded as a SystemProfileSet of how switch-generation', async () => {
    systemHome();
    await ok('system', 'switch', GEN_A);
    await ok('system', 'switch', GEN_B);
    await ok('system', 'switch', genAlike('gen-c'));
    const a = link('profiles/system-1-link');
    const result = await home.run('system', 'switch-generation', '1');
    expect(result).toMatchObject({ code: 0, stderr: 'genledger: switching system from generation 3 to 1\n' });
    expect([link('profiles/system'), link('run/current-system')]).toEqual(['system-1-link', a]);
    expect(activations().at(-1)).toBe(`switch ${a}`);
    const [set, activated] = (await events()).slice(-2);
    expect(set).toMatchObject({ type: 'SystemProfileSet', data: { action: 'switch', how: 'switch-generation', from: 3, generation: 1, created: false } });
    expect(activated).toMatchObject({ type: 'SystemActivated', data: { action: 'switch', generation: 1 } });
    expect(readFileSync(join(root(), 'boot/loader/loader.conf'), 'utf8')).toBe('timeout 5\ndefault nixos-generation-1.conf\n');
  });

  it('refuses a missing generation and changes nothing', async () => {
    systemHome();
    await ok('system', 'switch', GEN_A);
    const before = await events();
    const result = await home.run('system', 'switch-generation', '5');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('system generation 5 does not exist');
    expect(await events()).toEqual(before);
  });
});

describe('system delete-generations', () => {
  it('deletes by the profile rules but never the boot default, the booted or the running generation', async () => {
    systemHome();
    await fourGenerations();
    const inUse = await home.run('system', 'delete-generations', '2');
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toContain("cannot delete generation 2 of profile 'system': it is booted or running");
    const running = await home.run('system', 'delete-generations', '1', '3');
    expect(running.code).toBe(1);
    const current = await home.run('system', 'delete-generations', '4');
    expect(current.code).toBe(1);
    expect(current.stderr).toContain('cannot delete the current generation 4');

    const dryRun = await ok('system', 'delete-generations', 'old', '--dry-run');
    expect(dryRun).toContain('would append SystemGenerationsDeleted\nwould delete system generation 1\n');
    expect(dryRun).toContain(`would remove ${join(root(), 'profiles/system-1-link')}\n`);
    expect(dryRun).toContain(`would remove ${join(root(), 'boot/loader/entries/nixos-generation-1.conf')}\n`);
    expect(exists('profiles/system-1-link')).toBe(true);

    const autoRoots = readdirSync(join(root(), 'gcroots/auto'));
    expect(autoRoots).toHaveLength(4);
    const result = await home.run('system', 'delete-generations', 'old');
    expect(result).toMatchObject({ code: 0, stderr: 'genledger: deleted system generation 1\n' });
    expect(exists('profiles/system-1-link')).toBe(false);
    expect(exists('boot/loader/entries/nixos-generation-1.conf')).toBe(false);
    expect(readdirSync(join(root(), 'gcroots/auto'))).toHaveLength(3);
    for (const n of [2, 3, 4]) {
      expect(exists(`profiles/system-${n}-link`)).toBe(true);
      expect(exists(`boot/loader/entries/nixos-generation-${n}.conf`)).toBe(true);
    }
    expect((await events()).at(-1)).toEqual(expect.objectContaining({ type: 'SystemGenerationsDeleted', data: { generations: [1], spec: ['old'] } }));
    const listed = JSON.parse(await ok('system', 'list-generations', '--json')).generations.map((g: { generation: number }) => g.generation);
    expect(listed).toEqual([2, 3, 4]);
    expect((await home.run('system', 'delete-generations', '--keep', '0')).stderr).toBe('genledger: no system generation to delete\n');
    expect((await home.run('system', 'diff', '1')).stderr).toContain('system generation 1 was deleted');
  });

  it('takes +N, Nd and the retention options, as the profile command does', async () => {
    systemHome();
    await fourGenerations();
    await ok('system', 'reboot');
    await ok('system', 'delete-generations', '+2');
    expect(JSON.parse(await ok('system', 'list-generations', '--json')).generations.map((g: { generation: number }) => g.generation)).toEqual([3, 4]);
    expect((await home.run('system', 'delete-generations', '--keep', '1', '--keep-since', '1w')).stderr).toBe('genledger: no system generation to delete\n');
    expect((await home.run('system', 'delete-generations', '1', '--keep', '1')).code).toBe(2);
    expect((await home.run('system', 'delete-generations')).code).toBe(2);
    await ok('system', 'delete-generations', '--keep', '1', '--keep-since', '1m');
    expect((await events()).at(-1)).toMatchObject({ type: 'SystemGenerationsDeleted', data: { generations: [3], spec: ['--keep', '1', '--keep-since', '1m'] } });
  });

  it('replays to byte-identical links, mtimes and boot files after a deletion', async () => {
    systemHome();
    await fourGenerations();
    await ok('system', 'delete-generations', 'old');
    const into = join(home.dir, 'replayed');
    const replayed = await withSession(worldOf(home), {}, (session) => replaySystem(session, { into, dryRun: false }), { access: 'write' });
    expect(replayed).toMatchObject({ profile: 'system', generation: 4 });
    expect(snapshot(into)).toEqual(snapshot(root()));
    expect(snapshot(into).some((line) => line.includes('system-1-link') || line.includes('nixos-generation-1.conf'))).toBe(false);
  });
});

describe('gc --keep on the system profile', () => {
  it('applies the policy to the system profile too, keeping what boots, booted and runs', async () => {
    systemHome();
    await fourGenerations();
    const genD = link('profiles/system-1-link');
    const result = JSON.parse(await ok('gc', '--keep', '0', '--json'));
    expect(result.generationsDeleted).toEqual([{ profile: 'system', deleted: [1] }]);
    expect(result.deleted).toContain(genD);
    expect(exists('profiles/system-1-link')).toBe(false);
    expect((await events()).slice(-2).map((event) => event.type)).toEqual(['SystemGenerationsDeleted', 'GarbageCollected']);
  });
});

function worldOf(h: TestHome): World {
  return {
    now: () => new Date('2027-01-01T00:00:00Z'),
    actor: { user: 'alice', uid: 1000, host: 'testhost' },
    newId: () => 'id-replay',
    pid: process.pid,
    argv: ['replay'],
    env: { GENLEDGER_HOME: join(h.dir, 'home') },
    cwd: process.cwd(),
    stdout: { write: () => undefined, isTTY: false },
    stderr: { write: () => undefined, isTTY: false },
    sleep: async () => undefined,
  };
}

/** Every link and file of the system projection under a home: relative path, link target or content, mtime of links. */
function snapshot(base: string): string[] {
  const out: string[] = [];
  const walk = (relative: string) => {
    const path = join(base, relative);
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) out.push(`${relative} -> ${readlinkSync(path)} @${stat.mtimeMs}`);
    else if (stat.isFile()) out.push(`${relative}: ${readFileSync(path, 'utf8')}`);
    else for (const name of readdirSync(path).sort()) walk(join(relative, name));
  };
  for (const dir of ['profiles', 'run', 'boot']) walk(dir);
  return out;
}
