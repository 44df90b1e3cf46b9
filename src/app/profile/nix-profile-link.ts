/**
 * `~/.nix-profile` as found on disk, and Nix's default profile decided
 * from it (domain/nix-default-profile.ts). HOME, the user and the uid come
 * from the world; nothing here reads the process environment itself.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { decideDefaultProfile, nixProfileLinkPath } from '../../domain/nix-default-profile.js';
import type { DefaultProfileDecision, NixProfileLinkFact } from '../../domain/nix-default-profile.js';
import { usageError } from '../../errors.js';
import type { World } from '../../world.js';

/** $HOME, which Nix finds `~/.nix-profile` in; refused when unset or relative. */
export function userHome(world: Pick<World, 'env'>): string {
  const home = world.env.HOME;
  if (home === undefined || !home.startsWith('/')) {
    throw usageError('GENLEDGER_NO_HOME', 'HOME is not set to an absolute path, so ~/.nix-profile cannot be found', 'set HOME to your home directory');
  }
  return home;
}

export function readNixProfileLink(link: string): NixProfileLinkFact {
  try {
    if (!lstatSync(link).isSymbolicLink()) return { kind: 'other' };
    return { kind: 'symlink', target: readlinkSync(link) };
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'absent' } : { kind: 'other' };
  }
}

export function nixDefaultProfile(world: Pick<World, 'env' | 'actor'>, stateDir: string): DefaultProfileDecision {
  const home = userHome(world);
  return decideDefaultProfile({ home, user: world.actor.user, uid: world.actor.uid, stateDir, nixProfileLink: readNixProfileLink(nixProfileLinkPath(home)) });
}
