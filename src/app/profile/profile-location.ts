/**
 * Which profile a command means, and where it lives. `-p NAME` is the
 * profile at `<home>/profiles/NAME` (NAME may have segments, like
 * `per-user/alice/profile`); an absolute `-p PATH` is a profile at that path,
 * as Nix's --profile. Names are checked so that nothing can point a profile
 * outside the state home by `..` or odd characters.
 */
import { basename, dirname, isAbsolute, normalize } from 'node:path';
import { refused, usageError } from '../../errors.js';
import type { Actor } from '../../world.js';
import type { StateHome } from '../session/state-home.js';
import { checkNixProfileOwner } from './nix-profile-owner-check.js';

export interface ProfileLocation {
  /** The ledger stream of this profile. */
  readonly stream: string;
  /** The profile link, e.g. `<home>/profiles/profile`. */
  readonly link: string;
  readonly dir: string;
  readonly base: string;
}

export const defaultProfileName = 'profile';

/** Streams of profiles outside the state home are named for their absolute path. */
export const externalStreamPrefix = 'path:';

/** The system profile's name: it has its own stream and commands (`genledger system`). */
export const systemProfileName = 'system';

const segmentPattern = /^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/;

export function resolveProfile(home: StateHome, name: string | undefined): ProfileLocation {
  const given = name ?? defaultProfileName;
  if (given === systemProfileName) {
    throw refused('GENLEDGER_SYSTEM_PROFILE', "'system' is the system profile, managed with the genledger system commands", 'use genledger system switch|boot|test|rollback|list-generations');
  }
  return placeProfile(home, given);
}

function placeProfile(home: StateHome, given: string): ProfileLocation {
  if (isAbsolute(given)) {
    const link = normalize(given);
    if (link !== given.replace(/\/+$/, '') || link === '/') throw usageError('GENLEDGER_BAD_PROFILE_NAME', `profile path '${given}' must be a normalised absolute path`);
    return { stream: `${externalStreamPrefix}${link}`, link, dir: dirname(link), base: basename(link) };
  }
  const segments = given.split('/');
  if (segments.some((segment) => !segmentPattern.test(segment) || segment.endsWith('.lock'))) {
    throw usageError(
      'GENLEDGER_BAD_PROFILE_NAME',
      `'${given}' is not a valid profile name`,
      "use names of letters, digits and . _ + - separated by '/', like per-user/alice/profile",
    );
  }
  const link = `${home.profiles}/${given}`;
  return { stream: given, link, dir: dirname(link), base: basename(link) };
}

/**
 * A user may change only their own `per-user/<name>/…` profiles (root may
 * change any); with the Nix backend the same holds in Nix's own profile
 * directories under `nixStateDir` (nix-profile-owner-check.ts).
 */
export function checkProfileOwner(location: ProfileLocation, actor: Actor, nixStateDir: string | null = null): void {
  if (nixStateDir !== null && location.stream.startsWith(externalStreamPrefix)) checkNixProfileOwner(location, actor, nixStateDir);
  const match = /^per-user\/([^/]+)(?:\/|$)/.exec(location.stream);
  if (match === null || actor.uid === 0 || match[1] === actor.user) return;
  throw refused('GENLEDGER_NOT_YOUR_PROFILE', `profile '${location.stream}' belongs to user '${match[1]}', not '${actor.user}'`);
}

/** The location of a profile stream read back from the ledger. */
export function locationOfStream(home: StateHome, stream: string): ProfileLocation {
  return placeProfile(home, stream.startsWith(externalStreamPrefix) ? stream.slice(externalStreamPrefix.length) : stream);
}
