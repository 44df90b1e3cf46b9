/**
 * `--store nix:unix://SOCKET?store=DIR` as a non-root, non-trusted user of
 * a real nix-daemon (Nix 2.8) serving a store the test owns: the CLI is
 * spawned from dist/ with the test user's uid and gid, its own HOME and
 * GENLEDGER_HOME. What it adds and builds is valid in Nix, its generation
 * links are roots the daemon registered (the user cannot write the
 * daemon's gcroots/auto), gc goes through the daemon's collector, and the
 * owner rule holds in the daemon's profiles/per-user. The client does not
 * know the daemon's state directory from a unix:// URI (it takes Nix's
 * default, as a Nix client does): nothing but the default profile depends
 * on it. Skipped, saying why, without Nix, root or the test user.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToNixStore, isRoot, nixAvailable, nixCli, startNixDaemon, testUser } from '../nix/nix-fixtures.js';
import type { TestDaemon, TestUser } from '../nix/nix-fixtures.js';
import { spawnCli } from '../reliability/cli-runners.js';
import type { Spawned } from '../reliability/cli-runners.js';

const user = nixAvailable && isRoot ? testUser() : null;
if (nixAvailable && !isRoot) console.warn('skipping the multi-user Nix tests: starting a nix-daemon needs root');

function writePackage(dir: string, name: string): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  writeFileSync(join(root, 'bin', name), `#!/bin/sh\necho ${name}\n`, { mode: 0o755 });
  return root;
}

function chownTree(path: string, owner: TestUser): void {
  execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, path]);
}

describe.skipIf(user === null)('genledger as a non-trusted user of a nix-daemon (--store nix:unix://…)', () => {
  let dir: string;
  let daemon: TestDaemon;
  let work: string;
  let profile: string;
  let alpha: string;
  const U = user as TestUser;
  const nixStore = (...args: string[]) => execFileSync('nix-store', ['--store', daemon.uri, ...args], { env: daemon.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

  /** genledger as the test user; `env` adds to its environment (HOME, USER and GENLEDGER_HOME are its own). */
  const asUser = (args: readonly string[], env: Record<string, string> = {}): Promise<Spawned> =>
    spawnCli(null, ['--store', `nix:${daemon.uri}`, ...args], {
      uid: U.uid,
      gid: U.gid,
      cwd: work,
      env: { HOME: join(work, 'home'), USER: U.name, LOGNAME: U.name, GENLEDGER_HOME: join(work, 'genledger'), NIX_REMOTE: '', ...env },
    });
  const okAsUser = async (args: readonly string[], env: Record<string, string> = {}): Promise<Spawned> => {
    const result = await asUser(args, env);
    if (result.status !== 0) throw new Error(`genledger ${args.join(' ')} as ${U.name} exited ${result.status}: ${result.stderr}`);
    return result;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'genledger-multi-user-'));
    chmodSync(dir, 0o755);
    daemon = await startNixDaemon(join(dir, 'daemon'));
    work = join(dir, 'user');
    for (const sub of ['home', 'genledger', 'profiles']) mkdirSync(join(work, sub), { recursive: true });
    writePackage(work, 'beta');
    writePackage(work, 'gamma');
    chownTree(work, U);
    alpha = addToNixStore(daemon.uri, writePackage(join(dir, 'root-packages'), 'alpha'));
    profile = join(work, 'profiles', 'p');
  }, 60_000);

  afterAll(async () => {
    await daemon?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('adds a tree with store add, at the path nix-store --add gives, valid in Nix', async () => {
    const added = (await okAsUser(['store', 'add', join(work, 'beta')])).stdout.trim();
    expect(nixStore('--verify-path', added)).toBe('');
    expect(nixStore('--add', join(work, 'beta'))).toBe(added);
  });

  it("installs a path root added and one it added itself; the profile path is valid in Nix and store info is nix path-info's", async () => {
    const beta = nixStore('--add', join(work, 'beta'));
    expect((await asUser(['-p', profile, 'profile', 'install', alpha, beta])).status).toBe(0);
    const target = readlinkSync(`${profile}-1-link`);
    expect(nixStore('--verify-path', target)).toBe('');
    const ours = (await okAsUser(['store', 'info', '--json', target, alpha, beta])).stdout;
    expect(JSON.parse(ours)).toEqual(JSON.parse(nixCli(['path-info', '--store', daemon.uri, '--json', target, alpha, beta], daemon.env)));
  });

  it("registers its generation links as roots through the daemon, in a gcroots/auto the user cannot write", async () => {
    const gamma = (await okAsUser(['store', 'add', join(work, 'gamma')])).stdout.trim();
    await okAsUser(['-p', profile, 'profile', 'install', gamma]);
    const autoRoots = join(daemon.stateDir, 'gcroots', 'auto');
    expect(spawnSync('test', ['-w', autoRoots], { uid: U.uid, gid: U.gid }).status).not.toBe(0);
    const roots = nixStore('--gc', '--print-roots');
    for (const n of [1, 2]) expect(roots).toContain(`${profile}-${n}-link -> ${readlinkSync(`${profile}-${n}-link`)}`);
    const dead = nixStore('--gc', '--print-dead').split('\n');
    for (const path of [alpha, gamma, readlinkSync(`${profile}-2-link`)]) expect(dead).not.toContain(path);
  });

  it("rolls back, and verify is clean though the client does not know the daemon's state directory", async () => {
    await okAsUser(['-p', profile, 'profile', 'rollback']);
    expect(readlinkSync(profile)).toBe('p-1-link');
    const verified = await asUser(['verify']);
    expect(verified.stderr).not.toContain('gcroots');
    expect(verified.status).toBe(0);
  });

  it("collects garbage through the daemon's collector as that user, keeping every live closure", async () => {
    const garbage = addToNixStore(daemon.uri, writePackage(join(dir, 'root-packages'), 'garbage'));
    const collected = await okAsUser(['gc', '--json']);
    const result = JSON.parse(collected.stdout) as { deleted: string[]; bytesFreed: number };
    expect(result.deleted).toContain(garbage);
    expect(result.bytesFreed).toBeGreaterThan(0);
    expect(spawnSync('nix-store', ['--store', daemon.uri, '--check-validity', garbage], { env: daemon.env }).status).not.toBe(0);
    for (const n of [1, 2]) expect(nixStore('--check-validity', ...nixStore('-qR', readlinkSync(`${profile}-${n}-link`)).split('\n'))).toBe('');
    expect((await okAsUser(['log', '--json'])).stdout).toContain('GarbageCollected');
  });

  it("with NIX_STATE_DIR naming the daemon's state, uses the user's own profile in profiles/per-user and refuses another user's", async () => {
    const env = { NIX_STATE_DIR: daemon.stateDir };
    await okAsUser(['profile', 'install', alpha], env);
    const own = join(daemon.stateDir, 'profiles', 'per-user', U.name, 'profile');
    expect(readlinkSync(join(work, 'home', '.nix-profile'))).toBe(own);
    expect(nixStore('--gc', '--print-roots')).toContain(`${own}-1-link -> ${readlinkSync(`${own}-1-link`)}`);
    const others = join(daemon.stateDir, 'profiles', 'per-user', 'root', 'profile');
    const refused = await asUser(['--json', '-p', others, 'profile', 'install', alpha], env);
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stderr).error.code).toBe('GENLEDGER_NOT_YOUR_PROFILE');
    const sneaky = join(work, 'profiles', 'roots-dir');
    execFileSync('ln', ['-s', join(daemon.stateDir, 'profiles', 'per-user', 'root'), sneaky]);
    const viaLink = await asUser(['--json', '-p', join(sneaky, 'profile'), 'profile', 'install', alpha], env);
    expect(viaLink.status).toBe(1);
    expect(JSON.parse(viaLink.stderr).error.code).toBe('GENLEDGER_NOT_YOUR_PROFILE');
    expect((await asUser(['verify'], env)).status).toBe(0);
  });
});
