/**
 * Where a profile's links may go, checked before anything is recorded: the
 * profile link is absent or a symlink (never a file or directory of the
 * user's, which a switch would otherwise replace), the profile directory
 * is a real directory that is not reached through another profile's link,
 * not inside the store and not among the state home's own directories
 * (only `profiles/` of the home holds profiles), and a link can be made
 * in it. A profile that could never be projected is refused here, so no
 * event records it.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, symlinkSync, unlinkSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { refused } from '../../errors.js';
import type { StoreLocation } from '../../store/store-location.js';
import type { ProfileLocation } from './profile-location.js';
import type { StateHome } from '../session/state-home.js';
import { realOfNearest } from './real-of-nearest.js';

export function checkProfilePlace(location: ProfileLocation, home: StateHome, store: StoreLocation, options: { create: boolean }): void {
  const link = lstatOrNull(location.link);
  if (link !== null && !link.isSymbolicLink()) {
    throw refused('GENLEDGER_PROFILE_PATH_TAKEN', `'${location.link}' exists and is not a profile link`, 'choose another profile path, or move it away first');
  }
  const inside = relative(home.profiles, location.dir);
  if (inside !== '' && !inside.startsWith('..') && !inside.startsWith(sep)) {
    let dir = home.profiles;
    for (const part of inside.split(sep)) {
      dir = `${dir}/${part}`;
      const stat = lstatOrNull(dir);
      if (stat !== null && !stat.isDirectory()) {
        throw refused('GENLEDGER_BAD_PROFILE_NAME', `profile '${location.stream}' would live inside '${dir}', which is a profile link, not a directory of profiles`, 'choose a name beside that profile, not under it');
      }
    }
  }
  const realDir = realOfNearest(location.dir);
  if (isInside(realDir, realOfNearest(home.root)) && !isInside(realDir, realOfNearest(home.profiles))) {
    throw refused('GENLEDGER_BAD_PROFILE_NAME', `profile '${location.stream}' would live in the state home's own directory '${location.dir}'`, `profiles in the home live under ${home.profiles}; use -p NAME, or a path outside the home`);
  }
  if (isInside(realDir, realOfNearest(store.physicalDir))) {
    throw refused('GENLEDGER_BAD_PROFILE_NAME', `profile '${location.stream}' would live inside the store ${store.physicalDir}`, 'store contents are immutable; choose a profile path outside the store');
  }
  if (!options.create) return;
  try {
    mkdirSync(location.dir, { recursive: true });
    probeLink(location);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw refused('GENLEDGER_PROFILE_DIR_UNWRITABLE', `cannot write the profile directory '${location.dir}' (${code})`, 'choose a profile path in a directory you can write');
  }
}

/**
 * Makes and removes a link named as a switch's temporary link (which
 * projection removes if this process dies in between): `access(W_OK)` is
 * not enough, root passes it on /proc, where no link can be made.
 */
function probeLink(location: ProfileLocation): void {
  const probe = `${location.link}-0-link.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  symlinkSync(location.link, probe);
  unlinkSync(probe);
}

function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}
