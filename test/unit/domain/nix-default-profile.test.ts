import { describe, expect, it } from 'vitest';
import { decideDefaultProfile, switchLinkText } from '../../../src/domain/nix-default-profile.js';
import type { DefaultProfileFacts } from '../../../src/domain/nix-default-profile.js';

const alice: Omit<DefaultProfileFacts, 'nixProfileLink'> = { home: '/home/alice', user: 'alice', uid: 1000, stateDir: '/nix/var/nix' };
const root: Omit<DefaultProfileFacts, 'nixProfileLink'> = { home: '/root', user: 'root', uid: 0, stateDir: '/nix/var/nix' };

describe("Nix 2.8's default profile", () => {
  it("is the user's per-user profile when ~/.nix-profile is absent, and ~/.nix-profile is created pointing at it", () => {
    expect(decideDefaultProfile({ ...alice, nixProfileLink: { kind: 'absent' } })).toEqual({
      profile: '/nix/var/nix/profiles/per-user/alice/profile',
      createLink: { link: '/home/alice/.nix-profile', target: '/nix/var/nix/profiles/per-user/alice/profile' },
    });
  });

  it('is profiles/default for root when ~/.nix-profile is absent', () => {
    expect(decideDefaultProfile({ ...root, nixProfileLink: { kind: 'absent' } })).toEqual({
      profile: '/nix/var/nix/profiles/default',
      createLink: { link: '/root/.nix-profile', target: '/nix/var/nix/profiles/default' },
    });
  });

  it("lies in a chroot store's state directory when that is Nix's", () => {
    expect(decideDefaultProfile({ ...alice, stateDir: '/srv/chroot/nix/var/nix', nixProfileLink: { kind: 'absent' } }).profile).toBe('/srv/chroot/nix/var/nix/profiles/per-user/alice/profile');
  });

  it('is what ~/.nix-profile points at, read one hop (the profile link, not its generation), and nothing is created', () => {
    expect(decideDefaultProfile({ ...alice, nixProfileLink: { kind: 'symlink', target: '/nix/var/nix/profiles/per-user/alice/profile' } })).toEqual({
      profile: '/nix/var/nix/profiles/per-user/alice/profile',
      createLink: null,
    });
    expect(decideDefaultProfile({ ...root, nixProfileLink: { kind: 'symlink', target: '/srv/profiles/work' } }).profile).toBe('/srv/profiles/work');
  });

  it("resolves a relative ~/.nix-profile against the home directory and normalises it, as Nix's absPath does", () => {
    expect(decideDefaultProfile({ ...alice, nixProfileLink: { kind: 'symlink', target: 'profiles/work' } }).profile).toBe('/home/alice/profiles/work');
    expect(decideDefaultProfile({ ...alice, nixProfileLink: { kind: 'symlink', target: '../shared//./p/' } }).profile).toBe('/home/shared/p');
  });

  it('is ~/.nix-profile itself when that is not a link, as Nix falls back to it', () => {
    expect(decideDefaultProfile({ ...alice, nixProfileLink: { kind: 'other' } })).toEqual({ profile: '/home/alice/.nix-profile', createLink: null });
  });
});

describe('the link text switch-profile writes (switchLink)', () => {
  it('is the base name when the profile lies beside ~/.nix-profile, the absolute path otherwise', () => {
    expect(switchLinkText('/home/alice/.nix-profile', '/home/alice/my-profile')).toBe('my-profile');
    expect(switchLinkText('/home/alice/.nix-profile', '/home/alice/profiles/work')).toBe('/home/alice/profiles/work');
    expect(switchLinkText('/root/.nix-profile', '/nix/var/nix/profiles/default')).toBe('/nix/var/nix/profiles/default');
  });
});
