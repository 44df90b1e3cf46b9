/**
 * genledger's profiles against real `nix profile install` (Nix 2.8). Nix
 * needs the real /nix/store, so the packages are added there and rooted
 * under the test's temp dir (never garbage-collected); genledger uses a
 * chroot store named for /nix/store, so both compute the same paths.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestHome } from '../integration/test-world.js';
import type { TestHome } from '../integration/test-world.js';

const nixAvailable = (() => {
  try {
    execFileSync('nix-store', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!nixAvailable) console.warn('compat: nix-store not found; skipping the comparison of profiles with real Nix');

const env = { ...process.env, NIX_REMOTE: 'local' };
const nix = (...args: string[]) => execFileSync('nix', ['--extra-experimental-features', 'nix-command', ...args], { env, encoding: 'utf8' }).trim();

function writePackage(dir: string, name: string, script: string, doc: string): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'share', 'doc', name.split('-')[0] as string), { recursive: true });
  const bin = join(root, 'bin', script);
  writeFileSync(bin, `#!/bin/sh\necho ${script}\n`);
  chmodSync(bin, 0o755);
  writeFileSync(join(root, 'share', 'doc', name.split('-')[0] as string, 'README'), doc);
  return root;
}

describe.skipIf(!nixAvailable)('profiles compared with nix profile 2.8', () => {
  let dir: string;
  let home: TestHome;
  let packages: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'genledger-compat-'));
    const sources = [writePackage(dir, 'pkga-1.0', 'a', 'pkg a\n'), writePackage(dir, 'pkgb-2.0', 'b', 'pkg b\n')];
    packages = sources.map((source, index) => {
      const path = execFileSync('nix-store', ['--add', source], { env, encoding: 'utf8' }).trim();
      execFileSync('nix-store', ['--realise', path, '--add-root', join(dir, `root-${index}`), '--indirect'], { env, stdio: 'ignore' });
      return path;
    });
    home = makeTestHome();
    for (const source of sources) {
      const added = await home.run('--store-dir', '/nix/store', '--store-root', join(dir, 'chroot'), 'store', 'add', source);
      expect(added.stdout.trim()).toBe(packages[sources.indexOf(source)]);
    }
  });

  afterAll(() => {
    home?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same profile store path and manifest.json bytes as nix profile install', async () => {
    nix('profile', 'install', '--profile', join(dir, 'nprof'), ...packages);
    const nixProfile = readlinkSync(join(dir, 'nprof-1-link'));
    const ours = await home.run('profile', 'install', ...packages);
    expect(ours.code).toBe(0);
    const ourLink = join(home.dir, 'home', 'profiles', 'profile-1-link');
    expect(readlinkSync(ourLink)).toBe(nixProfile);
    const ourManifest = readFileSync(join(dir, 'chroot', nixProfile, 'manifest.json'));
    expect(ourManifest.equals(readFileSync(join(nixProfile, 'manifest.json')))).toBe(true);
  });

  it('is read by nix profile list and nix profile history', async () => {
    const ours = join(home.dir, 'home', 'profiles', 'profile');
    expect(nix('profile', 'list', '--profile', ours)).toBe(nix('profile', 'list', '--profile', join(dir, 'nprof')));
    const nixHistory = nix('profile', 'history', '--profile', ours).replace(/\u001b\[[0-9;]*m/g, '');
    const ourHistory = (await home.run('profile', 'history')).stdout.replace(/\n {2}by .*$/gm, '').trim();
    expect(nixHistory).toBe(ourHistory);
  });

  it('shows our generations and dates in nix-env --list-generations', async () => {
    const profile = join(home.dir, 'home', 'profiles', 'profile');
    const nixLines = execFileSync('nix-env', ['--list-generations', '-p', profile], { env, encoding: 'utf8' });
    const ours = (await home.run('profile', 'list-generations')).stdout;
    expect(ours).toBe(nixLines);
  });

  it('leaves the same links as Nix after the same install, remove, rollback and deletion sequence', async () => {
    const nixProfile = join(dir, 'seq');
    const [pkga, pkgb] = packages as [string, string];
    nix('profile', 'install', '--profile', nixProfile, pkga);
    nix('profile', 'install', '--profile', nixProfile, pkgb);
    nix('profile', 'remove', '--profile', nixProfile, '0');
    nix('profile', 'rollback', '--profile', nixProfile);
    execFileSync('nix-env', ['-p', nixProfile, '--delete-generations', '1'], { env, stdio: 'ignore' });

    const profile = join(home.dir, 'seq');
    for (const args of [['profile', 'install', pkga], ['profile', 'install', pkgb], ['profile', 'remove', 'pkga'], ['profile', 'rollback'], ['profile', 'delete-generations', '1']]) {
      expect((await home.run('-p', profile, ...args)).code).toBe(0);
    }
    const links = (base: string) =>
      readdirSync(base)
        .filter((name) => name.startsWith('seq'))
        .sort()
        .map((name) => [name, readlinkSync(join(base, name))]);
    expect(links(home.dir)).toEqual(links(dir));
  });
});
