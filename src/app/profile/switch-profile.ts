/**
 * `switch-profile PATH`: what `nix-env --switch-profile PATH` does on Nix
 * 2.8. PATH is made absolute against the working directory and normalised
 * (Nix's absPath), and `~/.nix-profile` is pointed at it by switchLink: a
 * temporary link `.N_.nix-profile` renamed onto it, its text the profile's
 * base name when both lie in one directory. Nix's default profile is
 * whatever that link names, so every later command without `-p` (with the
 * Nix backend) and every `nix profile` command use PATH.
 *
 * Unlike nix-env it refuses a PATH inside the store (store contents never
 * change, so no generation could ever be made there) and a `~/.nix-profile`
 * that is not a link (a file or directory of the user's). The switch is
 * recorded as a `ProfileSwitched` event on the home's own
 * `nix:profile-switches` stream before the link changes, so the log says
 * who pointed it where and replay puts it back (nix-profile-switches.ts).
 * Pointing it where it already points changes and records nothing.
 */
import { resolve } from 'node:path';
import { nixProfileLinkPath, switchLinkText } from '../../domain/nix-default-profile.js';
import { refused, usageError } from '../../errors.js';
import { switchLink } from '../../fsx/atomic-link.js';
import type { FsOp } from '../../projection/fs-op.js';
import { profileSwitchStream } from '../session/bookkeeping-streams.js';
import { envelope } from '../session/event-envelope.js';
import type { Session } from '../session/session-context.js';
import { readNixProfileLink, userHome } from './nix-profile-link.js';
import { realOfNearest } from './real-of-nearest.js';

/** The data of a ProfileSwitched event. */
export interface ProfileSwitched {
  /** The link switched: `$HOME/.nix-profile`. */
  readonly link: string;
  /** The profile it names now (absolute). */
  readonly profile: string;
  /** The link's text, as switchLink writes it. */
  readonly target: string;
  /** Its text before, or null when there was no link. */
  readonly previous: string | null;
}

export interface SwitchProfileOutcome extends ProfileSwitched {
  readonly changed: boolean;
  readonly events: ReadonlyArray<{ readonly type: 'ProfileSwitched'; readonly v: 1; readonly data: ProfileSwitched }>;
  readonly operations: readonly FsOp[];
}

export async function switchProfile(session: Session, path: string, options: { readonly dryRun: boolean }): Promise<SwitchProfileOutcome> {
  const { world } = session;
  if (path === '') throw usageError('GENLEDGER_BAD_PROFILE_NAME', 'the profile path is empty', 'name the profile, like ~/my-profile or /nix/var/nix/profiles/per-user/$USER/profile');
  const link = nixProfileLinkPath(userHome(world));
  const profile = resolve(world.cwd, path);
  if (profile === '/') throw usageError('GENLEDGER_BAD_PROFILE_NAME', "'/' cannot be a profile");
  refuseInsideStore(session, profile);
  const found = readNixProfileLink(link);
  if (found.kind === 'other') throw refused('GENLEDGER_PROFILE_PATH_TAKEN', `'${link}' exists and is not a link`, 'move it away first; switch-profile only replaces a link');
  const previous = found.kind === 'symlink' ? found.target : null;
  const target = switchLinkText(link, profile);
  const data: ProfileSwitched = { link, profile, target, previous };
  const now = world.now();
  const mtime = Math.floor(now.getTime() / 1000);
  const changed = previous !== target;
  const events = changed ? [{ type: 'ProfileSwitched' as const, v: 1 as const, data }] : [];
  const operations: FsOp[] = changed ? [{ op: 'switch', path: link, target, mtime }] : [];
  if (options.dryRun || !changed) return { ...data, changed, events, operations };
  const head = await session.ledger.head(profileSwitchStream);
  await session.ledger.append(profileSwitchStream, head?.version ?? 0, [envelope(world, now, { type: 'ProfileSwitched', data }, 1, session.options.reason)]);
  switchLink(link, target, mtime, session.faults);
  return { ...data, changed, events, operations };
}

function refuseInsideStore(session: Session, profile: string): void {
  const dirs = [session.store.location.logicalDir, session.store.location.physicalDir, ...(session.nix === null ? [] : [session.nix.storeDir, session.nix.realStoreDir])];
  const real = realOfNearest(profile);
  for (const dir of dirs) {
    if (isInside(profile, dir) || isInside(real, realOfNearest(dir))) {
      throw refused('GENLEDGER_BAD_PROFILE_NAME', `profile '${profile}' is inside the store ${dir}`, 'store contents are immutable; choose a profile path outside the store');
    }
  }
}

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}
