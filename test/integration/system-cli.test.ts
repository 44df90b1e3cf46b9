import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withSession } from '../../src/app/session/session.js';
import { replaySystem } from '../../src/app/system/system-replay.js';
import type { World } from '../../src/world.js';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

const GEN_A = 'examples/system/gen-a';
const GEN_B = 'examples/system/gen-b';
const BROKEN = 'examples/system/broken';

let home: TestHome;

afterEach(() => home?.cleanup());

/** A home whose activation scripts append `ACTION CLOSURE` to `<dir>/activation.log` (the env is read at each run). */
function systemHome(): TestHome {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  home = makeTestHome({ env });
  env.GENLEDGER_ACTIVATION_LOG = join(home.dir, 'activation.log');
  return home;
}

const root = () => join(home.dir, 'home');

function activations(): string[] {
  const log = join(home.dir, 'activation.log');
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
}

async function storePathOf(dir: string): Promise<string> {
  const built = await home.run('system', 'build', dir);
  expect(built.code).toBe(0);
  return built.stdout.trim();
}

async function events(): Promise<Array<{ type: string; at: string; data: Record<string, unknown> }>> {
  return JSON.parse((await home.run('log', '--json')).stdout);
}

const link = (relative: string) => readlinkSync(join(root(), relative));
const mtimeOf = (relative: string) => lstatSync(join(root(), relative)).mtime.toISOString();

describe('system commands through the CLI', () => {
  it('switch, boot, test and reboot move the boot default, the running and the booted system as nixos-rebuild does', async () => {
    systemHome();
    const [a, b] = [await storePathOf(GEN_A), await storePathOf(GEN_B)];
    expect((await home.run('system', 'switch', GEN_A)).code).toBe(0);
    expect([link('profiles/system'), link('profiles/system-1-link'), link('run/current-system')]).toEqual(['system-1-link', a, a]);
    expect(existsSync(join(root(), 'run/booted-system'))).toBe(false);

    expect((await home.run('system', 'boot', GEN_B)).code).toBe(0);
    expect([link('profiles/system'), link('profiles/system-2-link'), link('run/current-system')]).toEqual(['system-2-link', b, a]);
    expect(readFileSync(join(root(), 'boot/loader/loader.conf'), 'utf8')).toBe('timeout 5\ndefault nixos-generation-2.conf\n');

    expect((await home.run('system', 'test', GEN_A)).code).toBe(0);
    expect(link('run/current-system')).toBe(a);
    const testing = JSON.parse((await home.run('system', 'status', '--json')).stdout);
    expect(testing.running).toMatchObject({ generation: null, systemPath: a, test: true });
    expect(testing.notes.map((note: { kind: string }) => note.kind)).toEqual(['test-activation']);

    expect((await home.run('system', 'reboot')).code).toBe(0);
    expect([link('run/current-system'), link('run/booted-system')]).toEqual([b, b]);
    const status = JSON.parse((await home.run('system', 'status', '--json')).stdout);
    expect(status).toMatchObject({ inSync: true, notes: [], bootDefault: { generation: 2 }, running: { generation: 2, test: false }, booted: { generation: 2 } });

    expect(activations()).toEqual([`switch ${a}`, `boot ${b}`, `test ${a}`]);
    expect((await events()).map((event) => event.type)).toEqual(['SystemProfileSet', 'SystemActivated', 'SystemProfileSet', 'SystemActivated', 'SystemActivated', 'Rebooted']);
  });

  it('dates every link by the event that put it there', async () => {
    systemHome();
    await home.run('system', 'switch', GEN_A);
    await home.run('system', 'reboot');
    const [profileSet, activated, rebooted] = await events();
    expect(mtimeOf('profiles/system-1-link')).toBe(profileSet?.at);
    expect(mtimeOf('profiles/system')).toBe(profileSet?.at);
    expect(activated?.data.activation).toMatchObject({ status: 'succeeded', exitCode: 0, durationMs: 60_000 });
    expect(mtimeOf('run/current-system')).toBe(rebooted?.at);
    expect(mtimeOf('run/booted-system')).toBe(rebooted?.at);
  });

  it('records a failed activation, exits 1, and leaves the boot default switched and the running system as it was', async () => {
    systemHome();
    const a = await storePathOf(GEN_A);
    await home.run('system', 'switch', GEN_A);
    const result = await home.run('system', 'switch', BROKEN, '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr.trim().split('\n').at(-1) ?? '').error.code).toBe('GENLEDGER_ACTIVATION_FAILED');
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ generation: 2, running: a, activation: { action: 'switch', status: 'failed', exitCode: 3 } });
    expect([link('profiles/system'), link('run/current-system')]).toEqual(['system-2-link', a]);
    const failed = (await events()).at(-1);
    expect(failed?.type).toBe('SystemActivated');
    expect(failed?.data.activation).toMatchObject({ status: 'failed', exitCode: 3, timedOut: false, durationMs: 60_000 });
    expect(String((failed?.data.activation as { outputTail: string }).outputTail)).toContain('error: unit example.service failed to start');
    const status = JSON.parse((await home.run('system', 'status', '--json')).stdout);
    expect(status.notes.map((note: { kind: string }) => note.kind)).toEqual(['reboot-pending', 'activation-failed']);
    const text = await home.run('system', 'switch', BROKEN);
    expect(text.stderr).toContain('genledger: switch-to-configuration switch of generation 2 failed with exit status 3; generation 2 is the boot default anyway (nixos-rebuild switches the profile and installs the boot loader before it activates); generation 1 still runs\n');
    expect((await home.run('system', 'rollback')).code).toBe(0);
    expect(link('profiles/system')).toBe('system-1-link');
  });

  it('with --no-activate records the change without running anything', async () => {
    systemHome();
    const a = await storePathOf(GEN_A);
    expect((await home.run('system', 'switch', GEN_A, '--no-activate')).code).toBe(0);
    expect(activations()).toEqual([]);
    expect(link('run/current-system')).toBe(a);
    expect((await events()).at(-1)?.data.activation).toEqual({ status: 'skipped', reason: 'no-activate' });
  });

  it('--dry-run prints the plan and changes nothing, not even the store', async () => {
    systemHome();
    const result = await home.run('system', 'switch', GEN_A, '--dry-run');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'would append SystemProfileSet',
      `would run ${join(process.cwd(), GEN_A)}/bin/switch-to-configuration switch`,
      'would append SystemActivated',
    ]);
    expect(lines).toContain(`would switch ${root()}/profiles/system -> system-1-link`);
    expect(activations()).toEqual([]);
    expect(await events()).toEqual([]);
    expect(readdirSync(root()).sort()).toEqual(['db', 'home.json', 'ledger-head.json', 'store.json']);
  });

  it('keeps the newest generations and the boot default in the boot menu, removing entries no longer planned', async () => {
    systemHome();
    await home.run('system', 'switch', GEN_A);
    await home.run('system', 'switch', GEN_B);
    expect((await home.run('system', 'switch', BROKEN, '--no-activate', '--configuration-limit', '2')).code).toBe(0);
    const entries = () => readdirSync(join(root(), 'boot/loader/entries')).sort();
    expect(entries()).toEqual(['nixos-generation-2.conf', 'nixos-generation-3.conf']);
    await home.run('system', 'rollback', '--configuration-limit', '1');
    await home.run('system', 'rollback');
    expect(entries()).toEqual(['nixos-generation-1.conf', 'nixos-generation-3.conf']);
    expect(readFileSync(join(root(), 'boot/loader/loader.conf'), 'utf8')).toBe('timeout 5\ndefault nixos-generation-1.conf\n');
    const bad = await home.run('system', 'switch', GEN_A, '--configuration-limit', '0');
    expect(bad.code).toBe(2);
  });

  it('refuses with exit 1 and changes nothing when --expect-generation does not match, rollback has nowhere to go, or nothing boots', async () => {
    systemHome();
    expect((await home.run('system', 'reboot')).stderr).toContain('no system generation is set to boot');
    await home.run('system', 'switch', GEN_A);
    const before = await events();
    const moved = await home.run('system', 'switch', GEN_B, '--expect-generation', '5', '--json');
    expect(moved.code).toBe(1);
    expect(JSON.parse(moved.stderr).error.code).toBe('GENLEDGER_PROFILE_MOVED');
    const rollback = await home.run('system', 'rollback', '--json');
    expect(rollback.code).toBe(1);
    expect(JSON.parse(rollback.stderr).error.code).toBe('GENLEDGER_NO_OLDER_GENERATION');
    expect(await events()).toEqual(before);
    expect(activations()).toHaveLength(1);
    expect((await home.run('system', 'switch', GEN_B, '--expect-generation', '1')).code).toBe(0);
  });

  it('refuses a path that does not exist or is not a directory', async () => {
    systemHome();
    const missing = await home.run('system', 'switch', 'examples/system/nowhere', '--json');
    expect([missing.code, JSON.parse(missing.stderr).error.code]).toEqual([1, 'GENLEDGER_NOT_FOUND']);
    const file = await home.run('system', 'test', `${GEN_A}/kernel`, '--json');
    expect([file.code, JSON.parse(file.stderr).error.code]).toEqual([1, 'GENLEDGER_NOT_A_SYSTEM']);
  });

  it('build prints the store path store add gives and records nothing', async () => {
    systemHome();
    const built = await home.run('system', 'build', GEN_A);
    const added = await home.run('store', 'add', GEN_A);
    expect(built.stdout).toBe(added.stdout);
    expect(await events()).toEqual([]);
  });

  it('lists generations as nix-env does, and as nixos-rebuild list-generations --json', async () => {
    systemHome();
    const [a, b] = [await storePathOf(GEN_A), await storePathOf(GEN_B)];
    await home.run('system', 'switch', GEN_A);
    await home.run('system', 'reboot');
    await home.run('system', 'boot', GEN_B);
    const listed = JSON.parse((await home.run('system', 'list-generations', '--json')).stdout);
    const [profileSet] = await events();
    const unknownKernel = { kernelVersion: null, configurationRevision: null, specialisations: [] };
    expect(listed).toEqual({
      profile: 'system',
      generations: [
        { generation: 1, date: profileSet?.at.replace(/\.\d+Z$/, 'Z'), current: false, booted: true, running: true, systemPath: a, nixosVersion: 'genledger-example-a', ...unknownKernel, who: expect.objectContaining({ user: 'alice' }) as unknown, why: null },
        { generation: 2, date: expect.any(String), current: true, booted: false, running: false, systemPath: b, nixosVersion: 'genledger-example-b', ...unknownKernel, who: expect.objectContaining({ user: 'alice' }) as unknown, why: null },
      ],
    });
    const text = (await home.run('system', 'list-generations')).stdout.split('\n');
    expect(text[0]).toMatch(/^ {3}1 {3}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {3}$/);
    expect(text[1]).toMatch(/^ {3}2 {3}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {3}\(current\)$/);
  });

  it('roots the running system until a reboot leaves it, and every generation always', async () => {
    systemHome();
    const [a, b] = [await storePathOf(GEN_A), await storePathOf(GEN_B)];
    await home.run('system', 'switch', GEN_A);
    await home.run('system', 'test', GEN_B);
    const whileTesting = JSON.parse((await home.run('gc', '--json')).stdout);
    expect(whileTesting.deleted).toEqual([]);
    await home.run('system', 'reboot');
    const afterReboot = JSON.parse((await home.run('gc', '--json')).stdout);
    expect(afterReboot.deleted).toEqual([b]);
    expect(existsSync(a)).toBe(true);
  });

  it('keeps system events out of the user profiles', async () => {
    systemHome();
    await home.run('system', 'switch', GEN_A);
    expect(JSON.parse((await home.run('profiles', '--json')).stdout)).toEqual({ profiles: [] });
    expect((await home.run('verify')).code).toBe(0);
  });

  it('says how to start on a system with no generation', async () => {
    systemHome();
    // A home with a profile but no system generation: a read command where no home is is refused GENLEDGER_NO_HOME.
    expect((await home.run('profile', 'install', 'examples/catalog.json#hello')).code).toBe(0);
    const status = await home.run('system', 'status');
    expect(status.stdout).toBe(
      "boot default: none\nrunning:      none\nbooted:       no reboot recorded\nnote: no system generation yet: 'genledger system switch PATH' or 'boot PATH' makes one\n",
    );
  });
});

describe('replaySystem', () => {
  it('projects the same links, mtimes and boot files into another directory, without activating anything', async () => {
    systemHome();
    await home.run('system', 'switch', GEN_A);
    await home.run('system', 'boot', GEN_B);
    await home.run('system', 'test', GEN_A);
    const ran = activations().length;
    const into = join(home.dir, 'replayed');
    const replayed = await withSession(worldOf(home), {}, (session) => replaySystem(session, { into, dryRun: false }), { access: 'write' });
    expect(replayed).toMatchObject({ profile: 'system', generation: 2 });
    expect(snapshot(into)).toEqual(snapshot(root()));
    expect(activations()).toHaveLength(ran);
    const again = await withSession(worldOf(home), {}, (session) => replaySystem(session, { into, dryRun: false }), { access: 'write' });
    expect(again?.operations).toBe(0);
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
