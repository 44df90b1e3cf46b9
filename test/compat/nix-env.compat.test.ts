/**
 * genledger's nix-env profiles against real nix-env 2.8 (spec 8, 13.6), on
 * stores the test owns. With the Nix backend (`--store nix:local?store=D/…`)
 * genledger and nix-env share one store: the same packages (plain
 * `nix-store --add` paths and the output of a derivation Nix built) give the
 * same user environment, .drv and env-manifest.nix, and nix-env's own
 * commands work on genledger's profile, which then drifts and is adopted.
 * With the embedded store named for Nix's store directory
 * (`--store-dir D/store --store-root D/chroot`), genledger computes and
 * writes the same paths and bytes nix-env writes into its store.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestHome } from '../integration/test-world.js';
import type { TestHome } from '../integration/test-world.js';
import { buildDerivation } from '../nix/nix-fixtures.js';

const skipReason = spawnSync('nix-env', ['--version']).status !== 0 ? 'nix-env is not installed' : process.getuid?.() !== 0 ? 'a local Nix store needs root' : null;
if (skipReason !== null) console.warn(`skipping the nix-env compat tests: ${skipReason}`);

function writePackage(dir: string, name: string, file: string, text: string): string {
  const root = join(dir, 'src', name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  writeFileSync(join(root, 'bin', file), `#!/bin/sh\necho ${text}\n`);
  chmodSync(join(root, 'bin', file), 0o755);
  return root;
}

describe.skipIf(skipReason !== null)('nix-env user environments compared with nix-env 2.8', () => {
  let dir: string;
  let uri: string;
  let home: TestHome;
  let sources: string[];
  let packages: string[];
  let built: string;
  let profile: string;
  let nixEnvProfile: string;
  const env = { ...process.env, NIX_REMOTE: '' };
  const nixStore = (...args: string[]) => execFileSync('nix-store', ['--store', uri, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const nixEnv = (...args: string[]) => execFileSync('nix-env', ['--store', uri, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const run = (...args: string[]) => home.run('--store', `nix:${uri}`, '-p', profile, ...args);
  const generation = (link: string, n: number) => readlinkSync(`${link}-${n}-link`);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'genledger-nix-env-'));
    // Nix's build users write the built output below it.
    chmodSync(dir, 0o755);
    uri = `local?store=${dir}/store&state=${dir}/state&log=${dir}/log`;
    sources = [writePackage(dir, 'pkga-1.0', 'a', 'a'), writePackage(dir, 'pkgb-2.0', 'b', 'b'), writePackage(dir, 'pkgc-3.0', 'a', 'c')];
    packages = sources.map((source) => nixStore('--add', source));
    built = buildDerivation(uri, join(dir, 'drv'), { name: 'tool', salt: 'nix-env' });
    home = makeTestHome();
    mkdirSync(join(dir, 'profiles'));
    profile = join(dir, 'profiles', 'profile');
    nixEnvProfile = join(dir, 'profiles', 'eprof');
  }, 120_000);

  afterAll(() => {
    home?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('install --format nix-env gives the user environment, .drv and env-manifest.nix that nix-env -i gives, built by Nix', async () => {
    const [pkga, pkgb] = packages as [string, string];
    expect((await run('profile', 'install', '--format', 'nix-env', pkga, pkgb, built)).code).toBe(0);
    nixEnv('-p', nixEnvProfile, '-i', pkga, pkgb, built);
    const ours = generation(profile, 1);
    expect(ours).toBe(generation(nixEnvProfile, 1));
    expect(ours).toMatch(/-user-environment$/);
    const drv = nixStore('--query', '--deriver', ours);
    expect(drv).toMatch(/-user-environment\.drv$/);
    expect(readFileSync(drv, 'utf8')).toMatch(/^Derive\(\[\("out","[^"]*-user-environment","",""\)\],\[\],\["[^"]*-env-manifest\.nix"\]/);
    const manifest = readlinkSync(join(ours, 'manifest.nix'));
    expect(readFileSync(manifest, 'utf8')).toContain(`name = "tool"; out = { outPath = "${built}"; }`);
    expect(nixStore('--query', '--references', ours).split('\n').sort()).toEqual([pkga, pkgb, built, manifest].sort());
    expect(nixStore('--verify-path', ours)).toBe('');
  });

  it('set-priority and a later install follow --set-flag priority and nix-env -i (system "unknown", new elements first)', async () => {
    expect((await run('profile', 'set-priority', 'pkga', '4')).code).toBe(0);
    nixEnv('-p', nixEnvProfile, '--set-flag', 'priority', '4', 'pkga');
    expect(generation(profile, 2)).toBe(generation(nixEnvProfile, 2));
    expect((await run('profile', 'install', packages[2] as string)).code).toBe(0);
    nixEnv('-p', nixEnvProfile, '-i', packages[2] as string);
    const ours = generation(profile, 3);
    expect(ours).toBe(generation(nixEnvProfile, 3));
    expect(readlinkSync(join(ours, 'bin', 'a'))).toBe(`${packages[0]}/bin/a`);
    expect(readFileSync(join(ours, 'manifest.nix'), 'utf8')).toContain('system = "unknown";');
  });

  it('remove gives what nix-env -e gives', async () => {
    expect((await run('profile', 'remove', 'pkgb')).code).toBe(0);
    nixEnv('-p', nixEnvProfile, '-e', 'pkgb');
    expect(generation(profile, 4)).toBe(generation(nixEnvProfile, 4));
  });

  it("nix-env's own commands read and change genledger's profile, and adopt records what they did", async () => {
    expect(nixEnv('-p', profile, '-q').split('\n')).toEqual(nixEnv('-p', nixEnvProfile, '-q').split('\n'));
    expect(nixEnv('-p', profile, '-q', '--out-path')).toContain(built);
    nixEnv('-p', profile, '--rollback');
    expect(readlinkSync(profile)).toBe('profile-3-link');
    nixEnv('-p', profile, '--switch-generation', '4');
    expect(readlinkSync(profile)).toBe('profile-4-link');
    nixEnv('-p', profile, '-e', 'tool');
    nixEnv('-p', nixEnvProfile, '-e', 'tool');
    expect(generation(profile, 5)).toBe(generation(nixEnvProfile, 5));
    const refused = await run('profile', 'remove', 'pkgc');
    expect(refused.code).toBe(1);
    expect((await run('adopt', '-m', 'nix-env -e tool')).code).toBe(0);
    const listed = await run('profile', 'list');
    expect(listed.stdout).not.toContain(built);
    expect(listed.stdout).toContain(packages[2]);
    nixEnv('-p', profile, '-i', packages[1] as string);
    expect((await run('adopt')).code).toBe(0);
    expect((await run('profile', 'list')).stdout).toContain(packages[1]);
  });

  it('on the embedded store named for the same store directory, genledger writes the paths and bytes nix-env wrote', async () => {
    const embedded = makeTestHome();
    try {
      const g = (...args: string[]) => embedded.run('--store-dir', `${dir}/store`, '--store-root', join(dir, 'chroot'), ...args);
      for (const [index, source] of sources.entries()) expect((await g('store', 'add', source)).stdout.trim()).toBe(packages[index]);
      expect((await g('profile', 'install', '--format', 'nix-env', packages[0] as string, packages[1] as string)).code).toBe(0);
      nixEnv('-p', join(dir, 'profiles', 'plain'), '-i', packages[0] as string, packages[1] as string);
      const ours = readlinkSync(join(embedded.dir, 'home', 'profiles', 'profile-1-link'));
      const theirs = generation(join(dir, 'profiles', 'plain'), 1);
      expect(ours).toBe(theirs);
      const inChroot = (path: string) => join(dir, 'chroot', path);
      const manifest = readlinkSync(join(theirs, 'manifest.nix'));
      expect(readlinkSync(inChroot(join(ours, 'manifest.nix')))).toBe(manifest);
      expect(readFileSync(inChroot(manifest)).equals(readFileSync(manifest))).toBe(true);
      const drv = nixStore('--query', '--deriver', theirs);
      expect(readFileSync(inChroot(drv)).equals(readFileSync(drv))).toBe(true);
      const info = JSON.parse((await g('store', 'info', '--json', ours)).stdout) as Array<Record<string, unknown>>;
      const nixInfo = JSON.parse(execFileSync('nix', ['--extra-experimental-features', 'nix-command', '--store', uri, 'path-info', '--json', theirs], { env, encoding: 'utf8' })) as Array<Record<string, unknown>>;
      expect(info[0]).toMatchObject({ narHash: nixInfo[0]?.narHash, narSize: nixInfo[0]?.narSize, references: nixInfo[0]?.references, deriver: drv });
    } finally {
      embedded.cleanup();
    }
  });
});
