/**
 * The owner rule in Nix's own profile directories (`<stateDir>/profiles`).
 * Nix gives every user `profiles/per-user/<user>/`, so a profile there
 * belongs to that user; the rest of `profiles/` (`default`, `system`, a
 * profile made by hand) belongs to whoever may write its directory, as the
 * kernel says. Root may change any. An actor who is "root" only inside a
 * user namespace carries its outer uid (process-actor.ts), so never counts
 * as root here. Profiles outside Nix's directories are not ruled on here.
 * Pure: the caller passes the real (symlink-free) path and whether the
 * directory is writable.
 */
import { posix } from 'node:path';
import type { Actor } from '../world.js';

export type NixProfileOwnership =
  /** Not in Nix's profile directories. */
  | { readonly kind: 'outside' }
  /** In `profiles/per-user/<user>/`. */
  | { readonly kind: 'user'; readonly user: string }
  /** Elsewhere in `profiles/`: whoever can write the profile's directory. */
  | { readonly kind: 'shared' };

export function nixProfileOwnership(profile: string, stateDir: string): NixProfileOwnership {
  const inside = posix.relative(posix.join(stateDir, 'profiles'), profile);
  if (inside === '' || inside.startsWith('..') || posix.isAbsolute(inside)) return { kind: 'outside' };
  const match = /^per-user\/([^/]+)\/./.exec(inside);
  return match?.[1] === undefined ? { kind: 'shared' } : { kind: 'user', user: match[1] };
}

/** Why `actor` may not change the profile, or null when it may. */
export function nixProfileOwnerRefusal(ownership: NixProfileOwnership, actor: Actor, directoryWritable: boolean): string | null {
  if (actor.uid === 0 || ownership.kind === 'outside') return null;
  if (ownership.kind === 'user') return ownership.user === actor.user ? null : `it belongs to user '${ownership.user}', not '${actor.user}'`;
  return directoryWritable ? null : `its directory in Nix's profiles is not writable by '${actor.user}'`;
}
