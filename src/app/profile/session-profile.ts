/**
 * The profile a command's `-p` means on the session's store backend. On
 * the embedded store it is resolveProfile's meaning: `<home>/profiles/NAME`,
 * or an absolute path. With the Nix backend it is Nix's: no `-p` is the
 * default profile of the installed Nix (nix-profile-link.ts), and a
 * relative `-p` is resolved against the working directory, as Nix resolves
 * `--profile`. A command that changes the default profile first creates
 * `~/.nix-profile` pointing at it when it is absent, as Nix does; readers
 * and dry runs leave the home directory alone.
 */
import { resolve } from 'node:path';
import { switchLink } from '../../fsx/atomic-link.js';
import type { Session } from '../session/session-context.js';
import { nixDefaultProfile } from './nix-profile-link.js';
import { resolveProfile } from './profile-location.js';
import type { ProfileLocation } from './profile-location.js';

export type ProfileIntent = 'read' | 'change';

export function sessionProfile(session: Pick<Session, 'home' | 'nix' | 'world'>, name: string | undefined, intent: ProfileIntent = 'read'): ProfileLocation {
  if (session.nix === null) return resolveProfile(session.home, name);
  if (name !== undefined) return resolveProfile(session.home, resolve(session.world.cwd, name));
  const decision = nixDefaultProfile(session.world, session.nix.stateDir);
  if (intent === 'change' && decision.createLink !== null) {
    switchLink(decision.createLink.link, decision.createLink.target, Math.floor(session.world.now().getTime() / 1000));
  }
  return resolveProfile(session.home, decision.profile);
}
