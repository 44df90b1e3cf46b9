/**
 * Drift on the system profile against real Nix 2.8: `nix-env -p
 * <home>/profiles/system --set PATH` interleaved with `genledger system
 * switch`. genledger sees Nix's generation as drift (verify exits 4 with
 * the fix adopt), refuses to switch over it, records it with Nix's number
 * and link mtimes (to the second), then numbers on after it; replay gives
 * the same links.
 * The configurations are added to the real /nix/store and rooted under the
 * test's temp dir (never garbage-collected); genledger uses a chroot store
 * named for /nix/store, as in system.compat.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestHome } from '../integration/test-world.js';
import type { TestHome } from '../integration/test-world.js';
import { nixAvailable } from '../nix/nix-fixtures.js';

const env = { ...process.env, NIX_REMOTE: 'local' };
const configurations = ['examples/system/gen-a', 'examples/system/gen-b'];

describe.skipIf(!nixAvailable)('system profile drift made by nix-env --set', () => {
  let dir: string;
  let home: TestHome;
  let paths: [string, string];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'genledger-compat-sdrift-'));
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

  const ours = (...args: string[]) => home.run('--store-dir', '/nix/store', '--store-root', join(dir, 'chroot'), ...args);
  const profiles = () => join(home.dir, 'home', 'profiles');
  const links = (base: string) =>
    readdirSync(base)
      .filter((name) => name === 'system' || /^system-\d+-link$/.test(name))
      .sort()
      // Whole seconds: what Nix reads of a generation's date; Nix's own link keeps a sub-second part that no event needs.
      .map((name) => `${name} -> ${readlinkSync(join(base, name))} @${Math.floor(lstatSync(join(base, name)).mtimeMs / 1000)}`);

  it('detects, refuses, adopts, then continues after Nix’s generation', async () => {
    const [a, b] = paths;
    expect((await ours('system', 'switch', configurations[0] as string, '--no-activate')).code).toBe(0);
    execFileSync('nix-env', ['-p', join(profiles(), 'system'), '--set', b], { env, stdio: 'ignore' });
    expect(readlinkSync(join(profiles(), 'system'))).toBe('system-2-link');

    const verify = await ours('verify', '--json');
    expect(verify.code).toBe(4);
    const drift = JSON.parse(verify.stdout).problems.filter((problem: { kind: string }) => problem.kind === 'drift');
    expect(drift.map((problem: { profile: string; fix: string }) => [problem.profile, problem.fix])).toEqual([
      ['system', 'adopt'],
      ['system', 'adopt'],
    ]);

    const refused = await ours('system', 'switch', configurations[0] as string, '--no-activate', '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr).error.code).toBe('GENLEDGER_PROFILE_DRIFT');

    const nixMtime = lstatSync(join(profiles(), 'system-2-link')).mtime.toISOString();
    const adopted = await ours('adopt', '-p', 'system', '--json');
    expect(adopted.code).toBe(0);
    expect(JSON.parse(adopted.stdout)).toMatchObject({ profile: 'system', generation: 2, events: ['SystemChangeObserved'] });
    expect(lstatSync(join(profiles(), 'system-2-link')).mtime.toISOString()).toBe(nixMtime);
    const verified = await ours('verify', '--json');
    expect(JSON.parse(verified.stdout).problems).toEqual([]);
    expect(verified.code).toBe(0);

    expect((await ours('system', 'switch', configurations[0] as string, '--no-activate')).code).toBe(0);
    expect(readlinkSync(join(profiles(), 'system'))).toBe('system-3-link');
    expect(readlinkSync(join(profiles(), 'system-3-link'))).toBe(a);
    const nixLines = execFileSync('nix-env', ['--list-generations', '-p', join(profiles(), 'system')], { env, encoding: 'utf8' });
    expect(nixLines.split('\n').filter(Boolean).map((line) => line.trim().split(/\s+/)[0])).toEqual(['1', '2', '3']);

    const into = join(dir, 'replayed');
    expect((await ours('replay', '--into', into)).code).toBe(0);
    expect(links(join(into, 'profiles'))).toEqual(links(profiles()));
  });
});
