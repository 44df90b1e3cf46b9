/**
 * switch-profile and the default profile against real Nix 2.8, each with
 * a temporary HOME (never the machine's own ~/.nix-profile): genledger
 * writes the same ~/.nix-profile link text as `nix-env --switch-profile`,
 * and decides the default profile Nix creates ~/.nix-profile for.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nixDefaultProfile } from '../../src/app/profile/nix-profile-link.js';
import type { World } from '../../src/world.js';
import { makeTestHome } from '../integration/test-world.js';

const nixAvailable = (() => {
  try {
    execFileSync('nix-env', ['--version'], { stdio: 'ignore' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
})();
if (!nixAvailable) console.warn('compat: nix-env not found or not root; skipping the comparison of switch-profile with real Nix');

describe.skipIf(!nixAvailable)('switch-profile compared with nix-env --switch-profile 2.8', () => {
  let dir: string;
  let nixHome: string;
  let ourHome: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'genledger-compat-switch-'));
    nixHome = join(dir, 'nix-home');
    ourHome = join(dir, 'our-home');
    mkdirSync(nixHome);
    mkdirSync(ourHome);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const nixEnv = (home: string, ...args: string[]) => execFileSync('nix-env', args, { env: { ...process.env, HOME: home, NIX_REMOTE: 'local' }, cwd: process.cwd(), stdio: 'pipe' });

  async function both(nixArg: string, ourArg: string): Promise<[string, string]> {
    nixEnv(nixHome, '--switch-profile', nixArg);
    const t = makeTestHome({ env: { HOME: ourHome } });
    try {
      const result = await t.run('switch-profile', ourArg);
      expect(result.stderr).not.toMatch(/hint/);
      expect(result.code).toBe(0);
    } finally {
      t.cleanup();
    }
    return [readlinkSync(join(nixHome, '.nix-profile')), readlinkSync(join(ourHome, '.nix-profile'))];
  }

  it('writes the same absolute target for a profile elsewhere', async () => {
    const [theirs, ours] = await both(join(dir, 'profiles', 'work'), join(dir, 'profiles', 'work'));
    expect(ours).toBe(theirs);
    expect(ours).toBe(join(dir, 'profiles', 'work'));
  });

  it('writes the same base name for a profile beside ~/.nix-profile', async () => {
    const [theirs, ours] = await both(join(nixHome, 'mine'), join(ourHome, 'mine'));
    expect(theirs).toBe('mine');
    expect(ours).toBe(theirs);
  });

  it('resolves a relative, unnormalised path the same way', async () => {
    const given = `${relative(process.cwd(), join(dir, 'a'))}/../b/./c/`;
    const [theirs, ours] = await both(given, given);
    expect(ours).toBe(theirs);
    expect(ours).toBe(join(dir, 'b', 'c'));
  });

  it('replaces an existing link the same way', async () => {
    await both(join(dir, 'first'), join(dir, 'first'));
    const [theirs, ours] = await both(join(dir, 'second'), join(dir, 'second'));
    expect(ours).toBe(theirs);
  });
});

describe.skipIf(!nixAvailable)("the default profile compared with Nix 2.8's getDefaultProfile", () => {
  it('is the profile Nix creates ~/.nix-profile pointing at, for root', () => {
    const home = mkdtempSync(join(tmpdir(), 'genledger-compat-default-'));
    try {
      const world = { env: { HOME: home }, actor: { user: 'root', uid: 0, host: 'h' } } as unknown as World;
      const decided = nixDefaultProfile(world, '/nix/var/nix');
      // `nix-env -q` resolves the default profile first, creating ~/.nix-profile; it reads, and changes no profile.
      execFileSync('nix-env', ['-q'], { env: { ...process.env, HOME: home, NIX_REMOTE: 'local' }, stdio: 'pipe' });
      expect(decided.createLink).toEqual({ link: join(home, '.nix-profile'), target: readlinkSync(join(home, '.nix-profile')) });
      expect(decided.profile).toBe(readlinkSync(join(home, '.nix-profile')));
      expect(nixDefaultProfile(world, '/nix/var/nix')).toEqual({ profile: decided.profile, createLink: null });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
