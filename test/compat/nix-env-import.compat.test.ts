/**
 * nix-env profiles genledger takes over keep the nix-env format, against
 * real nix-env 2.8 on a store the test owns: a profile made by `nix-env -i`
 * of store paths (and `--set-flag`), taken over with import-nix, changed by
 * nix-env and adopted, is changed by genledger exactly as `nix-env -i`
 * changes a twin profile (the same user-environment path), with the Nix
 * backend and on the embedded store named for Nix's store directory. And
 * a `.drv` installs as `nix-env -i DRV` installs it: Nix builds it, the
 * element is its `out` output named after the `.drv` (spec 8.2a).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestHome } from '../integration/test-world.js';
import type { TestHome } from '../integration/test-world.js';
import { buildDerivation, instantiateDerivation, sandboxNixConfig } from '../nix/nix-fixtures.js';

const skipReason = spawnSync('nix-env', ['--version']).status !== 0 ? 'nix-env is not installed' : process.getuid?.() !== 0 ? 'a local Nix store needs root' : null;
if (skipReason !== null) console.warn(`skipping the nix-env import compat tests: ${skipReason}`);

function writePackage(dir: string, name: string, file: string): string {
  const root = join(dir, 'src', name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  writeFileSync(join(root, 'bin', file), `#!/bin/sh\necho ${name}\n`);
  chmodSync(join(root, 'bin', file), 0o755);
  return root;
}

describe.skipIf(skipReason !== null)('import-nix and adopt of nix-env profiles keep the nix-env format (nix-env 2.8)', () => {
  let dir: string;
  let uri: string;
  let sources: string[];
  let packages: [string, string, string, string];
  let built: string;
  const env = { ...process.env, NIX_REMOTE: '' };
  const nixStore = (...args: string[]) => execFileSync('nix-store', ['--store', uri, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const nixEnv = (...args: string[]) => execFileSync('nix-env', ['--store', uri, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const generation = (link: string, n: number) => readlinkSync(`${link}-${n}-link`);
  const profiles = () => join(dir, 'profiles');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'genledger-nix-env-import-'));
    chmodSync(dir, 0o755);
    uri = `local?store=${dir}/store&state=${dir}/state&log=${dir}/log`;
    sources = [writePackage(dir, 'pkga-1.0', 'a'), writePackage(dir, 'pkgb-2.0', 'b'), writePackage(dir, 'pkgc-3.0', 'a'), writePackage(dir, 'pkgd-4.0', 'd')];
    packages = sources.map((source) => nixStore('--add', source)) as [string, string, string, string];
    built = buildDerivation(uri, join(dir, 'drv'), { name: 'tool', salt: 'nix-env-import' });
    mkdirSync(profiles());
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** nix-env -i P1 P2, --set-flag priority 4 pkga: generation 2 holds elements read back (system "unknown") and a string priority. */
  function nixEnvProfile(name: string): string {
    const link = join(profiles(), name);
    nixEnv('-p', link, '-i', packages[0], packages[1]);
    nixEnv('-p', link, '--set-flag', 'priority', '4', 'pkga');
    return link;
  }

  it('with the Nix backend: import-nix records nix-env generations, and genledger then changes the profile as nix-env does', async () => {
    const home: TestHome = makeTestHome({ start: new Date().toISOString() });
    try {
      const run = (...args: string[]) => home.run('--store', `nix:${uri}`, ...args);
      const twin = nixEnvProfile('twin');
      // On the Nix backend -p names a profile path as nix-env's -p does; --as takes the same absolute path.
      const ours = join(profiles(), 'ours');
      expect((await run('import-nix', twin, '--as', ours)).code).toBe(0);
      const log = JSON.parse((await run('log', '--json')).stdout) as Array<{ type: string; data: { format?: string; manifestVersion?: unknown } }>;
      expect(log.filter((event) => event.type === 'GenerationImported').map((event) => [event.data.format, event.data.manifestVersion])).toEqual([
        ['manifest.nix', 'nix-env'],
        ['manifest.nix', 'nix-env'],
      ]);
      expect((await run('-p', ours, 'profile', 'install', packages[2])).code).toBe(0);
      nixEnv('-p', twin, '-i', packages[2]);
      expect(generation(ours, 3)).toBe(generation(twin, 3));
      expect(readlinkSync(join(generation(ours, 3), 'bin', 'a'))).toBe(`${packages[0]}/bin/a`);

      // nix-env changes genledger's profile; adopt takes its generation over in nix-env format.
      nixEnv('-p', ours, '-i', built);
      nixEnv('-p', twin, '-i', built);
      expect(generation(ours, 4)).toBe(generation(twin, 4));
      expect((await run('-p', ours, 'adopt')).code).toBe(0);
      expect((await run('-p', ours, 'profile', 'remove', 'pkgb')).code).toBe(0);
      nixEnv('-p', twin, '-e', 'pkgb');
      expect(generation(ours, 5)).toBe(generation(twin, 5));
      expect((await run('-p', ours, 'profile', 'install', packages[3])).code).toBe(0);
      nixEnv('-p', twin, '-i', packages[3]);
      expect(generation(ours, 6)).toBe(generation(twin, 6));
      expect(nixEnv('-p', ours, '-q')).toBe(nixEnv('-p', twin, '-q'));
    } finally {
      home.cleanup();
    }
  });

  it('on the embedded store named for the same store directory: imported, installed into, the same user environment as nix-env -i', async () => {
    const home: TestHome = makeTestHome({ start: new Date().toISOString() });
    try {
      const chroot = join(dir, 'chroot');
      const g = (...args: string[]) => home.run('--store-dir', `${dir}/store`, '--store-root', chroot, ...args);
      for (const [index, source] of sources.entries()) expect((await g('store', 'add', source)).stdout.trim()).toBe(packages[index]);
      const twin = nixEnvProfile('plain');
      expect((await g('import-nix', twin)).code).toBe(0);
      expect((await g('-p', 'plain', 'profile', 'install', packages[2])).code).toBe(0);
      nixEnv('-p', twin, '-i', packages[2]);
      const ours = generation(join(home.dir, 'home', 'profiles', 'plain'), 3);
      const theirs = generation(twin, 3);
      expect(ours).toBe(theirs);
      const manifest = readlinkSync(join(theirs, 'manifest.nix'));
      expect(readFileSync(join(chroot, manifest)).equals(readFileSync(manifest))).toBe(true);
      const info = JSON.parse((await g('store', 'info', '--json', ours)).stdout) as Array<Record<string, unknown>>;
      const nixInfo = JSON.parse(execFileSync('nix', ['--extra-experimental-features', 'nix-command', '--store', uri, 'path-info', '--json', theirs], { env, encoding: 'utf8' })) as Array<Record<string, unknown>>;
      expect(info[0]).toMatchObject({ narHash: nixInfo[0]?.narHash, references: nixInfo[0]?.references, deriver: nixInfo[0]?.deriver });
    } finally {
      home.cleanup();
    }
  });

  it('a .drv installs as nix-env -i DRV installs it: built by Nix, its out output named "simple.drv"', async () => {
    const home: TestHome = makeTestHome({ start: new Date().toISOString(), env: { NIX_CONFIG: sandboxNixConfig, PATH: process.env.PATH ?? '' } });
    try {
      const drv = instantiateDerivation(uri, join(dir, 'drv-simple'), { name: 'simple', salt: 'drv-install' });
      const out = nixStore('--query', '--outputs', drv);
      expect(nixStore('--check-validity', '--print-invalid', out)).toBe(out);
      const ours = join(profiles(), 'from-drv');
      expect((await home.run('--store', `nix:${uri}`, '-p', ours, 'profile', 'install', '--format', 'nix-env', drv)).code).toBe(0);
      expect(nixStore('--check-validity', '--print-invalid', out)).toBe('');
      const theirs = join(profiles(), 'nix-env-drv');
      nixEnv('-p', theirs, '-i', drv);
      expect(generation(ours, 1)).toBe(generation(theirs, 1));
      const manifest = readFileSync(join(generation(theirs, 1), 'manifest.nix'), 'utf8');
      expect(manifest).toContain(`name = "simple.drv"; out = { outPath = "${out}"; }`);
      expect(readlinkSync(join(generation(ours, 1), 'bin'))).toBe(`${out}/bin`);
    } finally {
      home.cleanup();
    }
  });
});
