/**
 * `--store nix` against real Nix 2.8 on a local store the test owns, named
 * for its own directory (`local?store=DIR/store&state=…`: Nix 2.8's own
 * `nix profile install` reads packages by their logical path, so a chroot
 * store cannot be its oracle; the real /nix/store is never touched, and
 * Nix's collector runs only on the test's store): validity comes from Nix's database,
 * what genledger writes is valid in it with the hash Nix computes, the
 * profile path and manifest are what `nix profile install` makes, the
 * generation links are roots Nix honours, and `gc` goes through Nix's
 * collector. Skipped, saying why, without Nix or root.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestHome } from '../integration/test-world.js';
import type { TestHome } from '../integration/test-world.js';

const skipReason = spawnSync('nix-store', ['--version']).status !== 0 ? 'nix-store is not installed' : process.getuid?.() !== 0 ? 'a local Nix store needs root' : null;
if (skipReason !== null) console.warn(`skipping the Nix backend compat tests: ${skipReason}`);

function writePackage(dir: string, name: string, text: string): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  writeFileSync(join(root, 'bin', name.split('-')[0] as string), `#!/bin/sh\necho ${text}\n`);
  chmodSync(join(root, 'bin', name.split('-')[0] as string), 0o755);
  return root;
}

describe.skipIf(skipReason !== null)('genledger on a real Nix store (--store nix:local?store=…)', () => {
  let dir: string;
  let uri: string;
  let home: TestHome;
  let packages: string[];
  const env = { ...process.env, NIX_REMOTE: '' };
  const nixStore = (...args: string[]) => execFileSync('nix-store', ['--store', uri, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const nix = (...args: string[]) => execFileSync('nix', ['--extra-experimental-features', 'nix-command', '--store', uri, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  let profile: string;
  const run = (...args: string[]) => home.run('--store', `nix:${uri}`, '-p', profile, ...args);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'genledger-nix-backend-'));
    uri = `local?store=${dir}/store&state=${dir}/state&log=${dir}/log`;
    const sources = [writePackage(dir, 'alpha-1.0', 'alpha'), writePackage(dir, 'beta-2.0', 'beta')];
    packages = sources.map((source) => nixStore('--add', source));
    home = makeTestHome();
    profile = join(dir, 'profiles', 'profile');
    mkdirSync(join(dir, 'profiles'));
  });

  afterAll(() => {
    home?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs paths Nix added, and the profile path it writes is valid in Nix, as nix profile install makes it', async () => {
    const installed = await run('profile', 'install', ...packages);
    expect(installed.code).toBe(0);
    const ours = readlinkSync(join(dir, 'profiles', 'profile-1-link'));
    nix('profile', 'install', '--profile', join(dir, 'nix-profile'), ...packages);
    expect(readlinkSync(join(dir, 'nix-profile-1-link'))).toBe(ours);
    expect(nixStore('--verify-path', ours)).toBe('');
    const nixInfo = JSON.parse(nix('path-info', '--json', ours, ...packages)) as Array<Record<string, unknown>>;
    expect(nixInfo.find((info) => info.path === ours)).toMatchObject({ path: ours, references: [...packages].sort(), ca: expect.stringMatching(/^fixed:r:sha256:/) });
    expect(JSON.parse((await run('store', 'info', '--json', ours, ...packages)).stdout)).toEqual(nixInfo);
    expect(readFileSync(join(ours, 'manifest.json'))).toEqual(readFileSync(join(readlinkSync(join(dir, 'nix-profile-1-link')), 'manifest.json')));
  });

  it('registers every generation link as a root Nix honours, and Nix never calls its closure dead', async () => {
    const link = join(dir, 'profiles', 'profile-1-link');
    const target = readlinkSync(link);
    expect(nixStore('--gc', '--print-roots')).toContain(`${link} -> ${target}`);
    const dead = nixStore('--gc', '--print-dead').split('\n');
    for (const path of [target, ...packages]) expect(dead).not.toContain(path);
  });

  it('adds trees with store add as Nix would, valid in its database', async () => {
    const source = writePackage(dir, 'gamma-3.0', 'gamma');
    const added = await run('store', 'add', source);
    expect(added.code).toBe(0);
    const path = added.stdout.trim();
    expect(path).toBe(execFileSync('nix-store', ['--store', uri, '--add', source], { env, encoding: 'utf8' }).trim());
    expect(nixStore('--verify-path', path)).toBe('');
  });

  it("collects through Nix's collector and records what it deleted", async () => {
    const removed = await run('profile', 'remove', 'beta');
    expect(removed.code).toBe(0);
    expect((await run('profile', 'delete-generations', '1')).code).toBe(0);
    rmSync(join(dir, 'nix-profile-1-link'));
    const dry = JSON.parse((await run('gc', '--dry-run', '--json')).stdout) as { deleted: string[] };
    expect(dry.deleted).toContain(packages[1]);
    expect(dry.deleted).not.toContain(packages[0]);
    const collected = await run('gc', '--json');
    expect(collected.code).toBe(0);
    const result = JSON.parse(collected.stdout) as { deleted: string[]; bytesFreed: number };
    expect(result.deleted).toEqual(dry.deleted);
    expect(result.bytesFreed).toBeGreaterThan(0);
    expect(spawnSync('nix-store', ['--store', uri, '--check-validity', packages[1] as string], { env }).status).not.toBe(0);
    expect(nixStore('--check-validity', packages[0] as string)).toBe('');
    const log = (await home.run('log', '--json')).stdout;
    expect(log).toContain('GarbageCollected');
  });

  it('registers root add links in Nix and forgets them on root remove; gc --max-freed stops early', async () => {
    const kept = nixStore('--add', writePackage(dir, 'kept-1.0', 'kept'));
    const spare = nixStore('--add', writePackage(dir, 'spare-1.0', 'spare'));
    symlinkSync(kept, join(dir, 'result'));
    expect((await run('root', 'add', join(dir, 'result'))).code).toBe(0);
    expect(nixStore('--gc', '--print-roots')).toContain(`${join(dir, 'result')} -> ${kept}`);
    const limited = JSON.parse((await run('gc', '--max-freed', '1', '--json')).stdout) as { deleted: string[] };
    expect(limited.deleted).toHaveLength(1);
    expect(nixStore('--gc', '--print-dead').split('\n')).not.toContain(kept);
    expect((await run('root', 'remove', join(dir, 'result'))).code).toBe(0);
    expect(nixStore('--gc', '--print-roots')).not.toContain(join(dir, 'result'));
    expect(JSON.parse((await run('gc', '--json')).stdout).deleted).toEqual(expect.arrayContaining(limited.deleted.includes(spare) ? [kept] : [kept, spare]));
  });

  it('records its backend and refuses another one later', async () => {
    const other = await home.run('--store', 'embedded', '-p', profile, 'profile', 'list');
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("this home uses Nix's store");
    expect((await home.run('-p', profile, 'profile', 'list')).code).toBe(0);
  });
});
