/**
 * The system profile against real Nix 2.8: `nix-env --list-generations`
 * reads genledger's system generations with the ledger's dates, and
 * genledger numbers and links generations as `nix-env --set` (what
 * nixos-rebuild runs) does. Nix needs the real /nix/store, so the example
 * configurations are added there and rooted under the test's temp dir
 * (never garbage-collected); genledger uses a chroot store named for
 * /nix/store, so both compute the same paths.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
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
if (!nixAvailable) console.warn('compat: nix-env not found; skipping the comparison of the system profile with real Nix');

const env = { ...process.env, NIX_REMOTE: 'local' };
const configurations = ['examples/system/gen-a', 'examples/system/gen-b'];

describe.skipIf(!nixAvailable)('the system profile compared with nix-env 2.8', () => {
  let dir: string;
  let home: TestHome;
  let paths: [string, string];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'genledger-compat-system-'));
    paths = configurations.map((source, index) => {
      const path = execFileSync('nix-store', ['--add', source], { env, encoding: 'utf8' }).trim();
      execFileSync('nix-store', ['--realise', path, '--add-root', join(dir, `root-${index}`), '--indirect'], { env, stdio: 'ignore' });
      return path;
    }) as [string, string];
    home = makeTestHome({ start: '2026-03-29T00:30:00Z' });
  });

  afterAll(() => {
    home?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const ours = (...args: string[]) => home.run('--store-dir', '/nix/store', '--store-root', join(dir, 'chroot'), 'system', ...args);

  it('numbers and links generations as nix-env --set does, rollbacks included', async () => {
    const [a, b] = paths;
    const nixProfile = join(dir, 'system');
    for (const args of [['--set', a], ['--set', b], ['--rollback'], ['--set', b], ['--set', a]]) {
      execFileSync('nix-env', ['-p', nixProfile, ...args], { env, stdio: 'ignore' });
    }
    for (const args of [['switch', configurations[0] as string], ['switch', configurations[1] as string], ['rollback'], ['switch', b], ['switch', a]]) {
      const result = await ours(...args, '--no-activate');
      expect(result.stderr).not.toContain('internal error');
      expect(result.code).toBe(0);
    }
    const links = (base: string) =>
      readdirSync(base)
        .filter((name) => name === 'system' || /^system-\d+-link$/.test(name))
        .sort()
        .map((name) => [name, readlinkSync(join(base, name))]);
    expect(links(join(home.dir, 'home', 'profiles'))).toEqual(links(dir));
  });

  it('shows our system generations and their dates in nix-env --list-generations', async () => {
    const profile = join(home.dir, 'home', 'profiles', 'system');
    const nixLines = execFileSync('nix-env', ['--list-generations', '-p', profile], { env, encoding: 'utf8' });
    expect(nixLines.split('\n').filter(Boolean)).toHaveLength(3);
    expect((await ours('list-generations')).stdout).toBe(nixLines);
  });
});
