import { describe, expect, it } from 'vitest';
import { nixProfileOwnerRefusal, nixProfileOwnership } from '../../../src/domain/nix-profile-owner.js';
import type { Actor } from '../../../src/world.js';

const alice: Actor = { user: 'alice', uid: 1000, host: 'h' };
const root: Actor = { user: 'root', uid: 0, host: 'h' };
const state = '/nix/var/nix';

describe("the owner rule in Nix's profile directories", () => {
  it('says who owns a profile by where it lies', () => {
    expect(nixProfileOwnership('/nix/var/nix/profiles/per-user/bob/profile', state)).toEqual({ kind: 'user', user: 'bob' });
    expect(nixProfileOwnership('/nix/var/nix/profiles/per-user/bob/sub/work', state)).toEqual({ kind: 'user', user: 'bob' });
    expect(nixProfileOwnership('/nix/var/nix/profiles/default', state)).toEqual({ kind: 'shared' });
    expect(nixProfileOwnership('/nix/var/nix/profiles/per-user/bob', state)).toEqual({ kind: 'shared' });
    expect(nixProfileOwnership('/home/alice/my-profile', state)).toEqual({ kind: 'outside' });
    expect(nixProfileOwnership('/nix/var/nix/profiles-other/x', state)).toEqual({ kind: 'outside' });
    expect(nixProfileOwnership('/nix/var/nix/profiles', state)).toEqual({ kind: 'outside' });
  });

  it("lets a user change their own per-user profiles and refuses another user's", () => {
    expect(nixProfileOwnerRefusal({ kind: 'user', user: 'alice' }, alice, false)).toBeNull();
    expect(nixProfileOwnerRefusal({ kind: 'user', user: 'bob' }, alice, true)).toBe("it belongs to user 'bob', not 'alice'");
  });

  it('lets a user change a shared profile only when they can write its directory', () => {
    expect(nixProfileOwnerRefusal({ kind: 'shared' }, alice, true)).toBeNull();
    expect(nixProfileOwnerRefusal({ kind: 'shared' }, alice, false)).toMatch(/not writable by 'alice'/);
  });

  it('lets root change any, but not a user who is root only inside a user namespace (its outer uid)', () => {
    expect(nixProfileOwnerRefusal({ kind: 'user', user: 'bob' }, root, false)).toBeNull();
    expect(nixProfileOwnerRefusal({ kind: 'shared' }, root, false)).toBeNull();
    expect(nixProfileOwnerRefusal({ kind: 'user', user: 'bob' }, { user: 'alice', uid: 1000, host: 'h', userNamespace: true }, true)).not.toBeNull();
  });

  it('has nothing to say about profiles outside them', () => {
    expect(nixProfileOwnerRefusal({ kind: 'outside' }, alice, false)).toBeNull();
  });
});
