/**
 * The owner rule for profiles in Nix's profile directories
 * (domain/nix-profile-owner.ts), applied to the disk: the profile's
 * directory and Nix's state directory are compared by their real paths, so
 * a link elsewhere that leads into `profiles/per-user/<other>/` is caught,
 * and "may write its directory" is what the kernel answers for this process.
 */
import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import { nixProfileOwnerRefusal, nixProfileOwnership } from '../../domain/nix-profile-owner.js';
import { refused } from '../../errors.js';
import type { Actor } from '../../world.js';
import { realOfNearest } from './real-of-nearest.js';

/** `location` is the profile's link, its directory and base name, as in ProfileLocation. */
export function checkNixProfileOwner(location: { readonly link: string; readonly dir: string; readonly base: string }, actor: Actor, nixStateDir: string): void {
  const real = `${realOfNearest(location.dir)}/${location.base}`;
  const ownership = nixProfileOwnership(real, realOfNearest(nixStateDir));
  if (ownership.kind === 'outside') return;
  const problem = nixProfileOwnerRefusal(ownership, actor, writable(location.dir));
  if (problem === null) return;
  throw refused('GENLEDGER_NOT_YOUR_PROFILE', `profile '${location.link}' is in Nix's profiles and ${problem}`, `change your own profiles, under ${nixStateDir}/profiles/per-user/${actor.user}/, or ask the owner or root`);
}

/** Whether this process may write `dir`, or (when it does not exist yet) its nearest existing ancestor. */
function writable(dir: string): boolean {
  for (let current = dir; ; current = dirname(current)) {
    try {
      accessSync(current, constants.W_OK);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || current === dirname(current)) return false;
    }
  }
}
