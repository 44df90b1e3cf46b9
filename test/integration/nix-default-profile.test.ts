/**
 * The profile commands' -p with the Nix backend (session.nix set), on temp
 * dirs: a temporary HOME and a temporary Nix state directory stand for the
 * user's and Nix's; the real ~/.nix-profile is never touched. Also the
 * owner rule in Nix's profile directories, on the disk.
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkProfileOwner, resolveProfile } from '../../src/app/profile/profile-location.js';
import { sessionProfile } from '../../src/app/profile/session-profile.js';
import { stateHomeAt } from '../../src/app/session/state-home.js';
import { isGenledgerError } from '../../src/errors.js';
import type { NixStoreTarget } from '../../src/store/nix/nix-store-target.js';
import type { Actor, World } from '../../src/world.js';

const alice: Actor = { user: 'alice', uid: 1000, host: 'h' };

describe('the default profile with the Nix backend', () => {
  let dir: string;
  let userHome: string;
  let stateDir: string;
  let nix: NixStoreTarget;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'genledger-nix-profile-'));
    userHome = join(dir, 'home', 'alice');
    stateDir = join(dir, 'nix', 'var', 'nix');
    mkdirSync(userHome, { recursive: true });
    nix = { uri: 'local', transport: { kind: 'stdio', storeUri: 'local' }, cliStoreUri: 'local', storeDir: '/nix/store', realStoreDir: join(dir, 'nix', 'store'), stateDir };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function session(actor: Actor = alice, cwd = dir) {
    const world = { env: { HOME: userHome }, actor, cwd, now: () => new Date('2026-01-01T00:00:00Z') } as unknown as World;
    return { home: stateHomeAt(join(dir, 'genledger')), nix, world };
  }

  it("is the user's per-user profile, and a change creates ~/.nix-profile pointing at it", () => {
    const profile = join(stateDir, 'profiles', 'per-user', 'alice', 'profile');
    expect(sessionProfile(session(), undefined, 'read')).toMatchObject({ stream: `path:${profile}`, link: profile });
    expect(() => lstatSync(join(userHome, '.nix-profile'))).toThrow();
    expect(sessionProfile(session(), undefined, 'change').link).toBe(profile);
    expect(readlinkSync(join(userHome, '.nix-profile'))).toBe(profile);
  });

  it('is profiles/default for root', () => {
    expect(sessionProfile(session({ user: 'root', uid: 0, host: 'h' }), undefined).link).toBe(join(stateDir, 'profiles', 'default'));
  });

  it('follows an existing ~/.nix-profile one hop and leaves it as it is', () => {
    symlinkSync(join(dir, 'work'), join(userHome, '.nix-profile'));
    expect(sessionProfile(session(), undefined, 'change')).toMatchObject({ stream: `path:${join(dir, 'work')}`, link: join(dir, 'work') });
    expect(readlinkSync(join(userHome, '.nix-profile'))).toBe(join(dir, 'work'));
  });

  it("takes a relative -p against the working directory, as Nix's --profile", () => {
    expect(sessionProfile(session(alice, join(dir, 'cwd')), 'p/../work').link).toBe(join(dir, 'cwd', 'work'));
    expect(sessionProfile(session(), '/abs/profile').link).toBe('/abs/profile');
  });

  it('keeps the embedded meaning of -p NAME without the Nix backend', () => {
    const s = { ...session(), nix: null };
    expect(sessionProfile(s, 'work')).toEqual(resolveProfile(s.home, 'work'));
    expect(sessionProfile(s, undefined).stream).toBe('profile');
  });
});

describe("the owner rule in Nix's profile directories", () => {
  let dir: string;
  let stateDir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'genledger-nix-owner-'));
    stateDir = join(dir, 'nix', 'var', 'nix');
    mkdirSync(join(stateDir, 'profiles', 'per-user', 'bob'), { recursive: true });
    mkdirSync(join(stateDir, 'profiles', 'per-user', 'alice'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const at = (path: string) => resolveProfile(stateHomeAt(join(dir, 'genledger')), path);
  const refusal = (path: string, actor: Actor = alice) => {
    try {
      checkProfileOwner(at(path), actor, stateDir);
      return null;
    } catch (error) {
      if (!isGenledgerError(error)) throw error;
      return error.code;
    }
  };

  it("refuses another user's per-user profile and allows one's own", () => {
    expect(refusal(join(stateDir, 'profiles', 'per-user', 'bob', 'profile'))).toBe('GENLEDGER_NOT_YOUR_PROFILE');
    expect(refusal(join(stateDir, 'profiles', 'per-user', 'alice', 'profile'))).toBeNull();
    expect(refusal(join(stateDir, 'profiles', 'per-user', 'bob', 'profile'), { user: 'root', uid: 0, host: 'h' })).toBeNull();
  });

  it('sees through a link that leads into another user’s directory', () => {
    symlinkSync(join(stateDir, 'profiles', 'per-user', 'bob'), join(dir, 'innocent'));
    expect(refusal(join(dir, 'innocent', 'profile'))).toBe('GENLEDGER_NOT_YOUR_PROFILE');
  });

  it('allows a shared profile whose directory the process can write, and says nothing about profiles elsewhere', () => {
    expect(refusal(join(stateDir, 'profiles', 'default'))).toBeNull();
    expect(refusal(join(dir, 'elsewhere', 'profile'))).toBeNull();
  });

  it.skipIf(process.getuid?.() === 0)('refuses a shared profile whose directory the process cannot write', () => {
    chmodSync(join(stateDir, 'profiles'), 0o555);
    try {
      expect(refusal(join(stateDir, 'profiles', 'default'))).toBe('GENLEDGER_NOT_YOUR_PROFILE');
    } finally {
      chmodSync(join(stateDir, 'profiles'), 0o755);
    }
  });

  it('applies only with the Nix backend (no state dir: the per-user name rule of the home alone)', () => {
    expect(() => checkProfileOwner(at(join(stateDir, 'profiles', 'per-user', 'bob', 'profile')), alice, null)).not.toThrow();
  });
});
