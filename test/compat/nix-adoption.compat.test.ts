/**
 * Taking over profiles real Nix 2.8 made, and recording what real Nix does
 * to a genledger profile. Nix needs the real /nix/store, so packages are
 * added there and rooted under the test's temp dir (never garbage-collected);
 * genledger uses a chroot store named for /nix/store, and copies what it
 * lacks from the real store.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestHome } from '../integration/test-world.js';
import type { TestHome } from '../integration/test-world.js';

const nixAvailable = (() => {
  try {
    execFileSync('nix-env', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!nixAvailable) console.warn('compat: nix-env not found; skipping import-nix and adopt against real Nix');

const env = { ...process.env, NIX_REMOTE: 'local' };
const run = (command: string, ...args: string[]) => execFileSync(command, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const nix = (...args: string[]) => run('nix', '--extra-experimental-features', 'nix-command', ...args);

function writePackage(dir: string, name: string, program: string): string {
  const root = join(dir, 'src', name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  writeFileSync(join(root, 'bin', program), `#!/bin/sh\necho ${program}\n`);
  chmodSync(join(root, 'bin', program), 0o755);
  return root;
}

/** Every entry of a profile (links and generation links): name, target, mtime in seconds. */
function profileEntries(dir: string, base: string): Array<[string, string, number]> {
  return readdirSync(dir)
    .filter((name) => name === base || (name.startsWith(`${base}-`) && name.endsWith('-link')))
    .sort()
    .map((name) => [name, readlinkSync(join(dir, name)), Math.floor(lstatSync(join(dir, name)).mtimeMs / 1000)]);
}

describe.skipIf(!nixAvailable)('import-nix and adopt against real Nix 2.8', () => {
  let dir: string;
  let home: TestHome;
  let pkga: string;
  let pkgb: string;
  let pkgc: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'genledger-adopt-compat-'));
    [pkga, pkgb, pkgc] = [writePackage(dir, 'pkga-1.0', 'a'), writePackage(dir, 'pkgb-2.0', 'b'), writePackage(dir, 'pkgc-3.0', 'c')].map((source, index) => {
      const path = run('nix-store', '--add', source);
      run('nix-store', '--realise', path, '--add-root', join(dir, `root-${index}`), '--indirect');
      return path;
    }) as [string, string, string];
    const eprof = join(dir, 'eprof');
    run('nix-env', '-p', eprof, '-i', pkga);
    run('nix-env', '-p', eprof, '-i', pkgb);
    run('nix-env', '-p', eprof, '--set-flag', 'priority', '4', 'pkga-1.0');
    run('nix-env', '-p', eprof, '-i', pkgc);
    run('nix-env', '-p', eprof, '--rollback');
    run('nix-env', '-p', eprof, '--delete-generations', '2');
    const nprof = join(dir, 'nprof');
    nix('profile', 'install', '--profile', nprof, pkga);
    nix('profile', 'install', '--profile', nprof, pkgb);
    nix('profile', 'remove', '--profile', nprof, '0');
    nix('profile', 'rollback', '--profile', nprof);
    run('nix-env', '-p', nprof, '--delete-generations', '1');
    // Nix dates its links by the real clock; an importing clock behind it would see them in its future.
    home = makeTestHome({ start: new Date().toISOString() });
    // The first command records the chroot store; a gc of the empty home is one that changes nothing (a read command creates no home).
    expect((await home.run('--store-dir', '/nix/store', '--store-root', join(dir, 'chroot'), 'gc')).code).toBe(0);
    expect((await home.run('store', 'verify')).code).toBe(0);
  });

  afterAll(() => {
    home?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const profiles = () => join(home.dir, 'home', 'profiles');

  it('imports a nix-env profile with a rollback and a deleted generation: same numbers, current, targets and dates', async () => {
    expect(profileEntries(dir, 'eprof').map(([name]) => name)).toEqual(['eprof', 'eprof-1-link', 'eprof-3-link', 'eprof-4-link']);
    const result = await home.run('import-nix', join(dir, 'eprof'));
    expect(result.stderr).toContain('imported 3 generations');
    expect(result.code).toBe(0);
    expect(profileEntries(profiles(), 'eprof')).toEqual(profileEntries(dir, 'eprof'));
    expect(run('nix-env', '--list-generations', '-p', join(profiles(), 'eprof'))).toBe(run('nix-env', '--list-generations', '-p', join(dir, 'eprof')));
    const list = JSON.parse((await home.run('-p', 'eprof', 'profile', 'list', '--json')).stdout);
    // nix-env puts newly installed elements first.
    expect(list.elements.map((e: { name: string; priority: number; storePaths: string[] }) => [e.name, e.priority, e.storePaths])).toEqual([
      ['pkgb', 5, [pkgb]],
      ['pkga', 4, [pkga]],
    ]);
  });

  it('copies user environments with the references and contents Nix has for them', async () => {
    for (const [, target] of profileEntries(dir, 'eprof').slice(1)) {
      const ours = JSON.parse((await home.run('store', 'info', '--json', target)).stdout)[0];
      const theirs = JSON.parse(nix('path-info', '--json', target))[0];
      expect(ours.narHash).toBe(theirs.narHash);
      expect(ours.references).toEqual([...theirs.references].sort());
      const envManifest = readlinkSync(join(target, 'manifest.nix'));
      const [ourText, theirText] = [JSON.parse((await home.run('store', 'info', '--json', envManifest)).stdout)[0], JSON.parse(nix('path-info', '--json', envManifest))[0]];
      expect([ourText.ca, ourText.references]).toEqual([theirText.ca, [...theirText.references].sort()]);
    }
    expect((await home.run('store', 'verify', '--contents')).code).toBe(0);
  });

  it('imports a nix profile profile the same way, with the content addresses of its profile paths', async () => {
    const result = await home.run('import-nix', join(dir, 'nprof'));
    expect(result.code).toBe(0);
    expect(profileEntries(profiles(), 'nprof')).toEqual(profileEntries(dir, 'nprof'));
    for (const [, target] of profileEntries(dir, 'nprof').slice(1)) {
      const ours = JSON.parse((await home.run('store', 'info', '--json', target)).stdout)[0];
      const theirs = JSON.parse(nix('path-info', '--json', target))[0];
      expect([ours.narHash, ours.references, ours.ca]).toEqual([theirs.narHash, [...theirs.references].sort(), theirs.ca]);
    }
    const log = JSON.parse((await home.run('log', '--json', '-p', 'nprof')).stdout);
    expect(log.map((e: { type: string; data: { format?: string } }) => e.data.format ?? e.type)).toEqual(['manifest.json v2', 'manifest.json v2', 'ProfileImported']);
    expect((await home.run('verify')).code).toBe(0);
  });

  it('reports what nix profile install does to a genledger profile as drift, and adopt records it', async () => {
    expect((await home.run('-p', 'native', 'profile', 'install', pkga)).code).toBe(0);
    // Nix reads the current generation through the real /nix/store, which holds the same path since nprof made it.
    nix('profile', 'install', '--profile', join(profiles(), 'native'), pkgc);
    const nixPath = readlinkSync(join(profiles(), 'native-2-link'));
    const verify = await home.run('verify', '--json');
    expect(verify.code).toBe(4);
    expect(JSON.parse(verify.stdout).problems.map((p: { message: string }) => p.message)).toEqual([
      `profile 'native' has generation 2 (-> ${nixPath}) that the ledger never recorded: changed outside genledger; adopt records this: genledger adopt -p native`,
      "profile 'native' points at generation 2, but the ledger's current generation is 1: changed outside genledger; adopt records this: genledger adopt -p native",
    ]);
    const adopted = await home.run('-p', 'native', 'adopt', '--json');
    expect(adopted.code).toBe(0);
    expect(JSON.parse(adopted.stdout)).toMatchObject({ profile: 'native', generation: 2, events: ['ExternalChangeObserved'], copied: [nixPath] });
    expect((await home.run('verify')).code).toBe(0);
    const list = JSON.parse((await home.run('-p', 'native', 'profile', 'list', '--json')).stdout);
    expect(list.elements.map((e: { name: string }) => e.name)).toEqual(['pkga', 'pkgc']);
    expect((await home.run('-p', 'native', 'profile', 'install', pkgb)).code).toBe(0);
    expect(readlinkSync(join(profiles(), 'native'))).toBe('native-3-link');
  });
});
