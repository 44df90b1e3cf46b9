/**
 * The profiles a state home holds on disk, whatever the ledger says: every
 * profile link below `<home>/profiles` (a symbolic link `NAME` whose text
 * names a generation link `NAME-N-link` beside it), at any depth, as
 * `per-user/alice/profile`. The system profile is not among them: it has
 * its own stream and rules, and its history cannot be taken from its links.
 * Directories are walked without following symbolic links, so a link
 * cannot lead the walk out of the home.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { parseCurrentGeneration } from '../../domain/generation-link-name.js';
import { isGenledgerError } from '../../errors.js';
import { listNames } from '../../fsx/list-names.js';
import { resolveProfile, systemProfileName } from './profile-location.js';
import type { ProfileLocation } from './profile-location.js';
import type { StateHome } from '../session/state-home.js';

export function findDiskProfiles(home: StateHome): ProfileLocation[] {
  const found: ProfileLocation[] = [];
  const walk = (relative: string) => {
    for (const name of listNames(relative === '' ? home.profiles : `${home.profiles}/${relative}`).sort()) {
      const path = relative === '' ? name : `${relative}/${name}`;
      const stats = lstatOrNull(`${home.profiles}/${path}`);
      if (stats?.isDirectory()) walk(path);
      else if (stats?.isSymbolicLink() && path !== systemProfileName && parseCurrentGeneration(name, readlinkSync(`${home.profiles}/${path}`)) !== null) {
        const location = locationOrNull(home, path);
        if (location !== null) found.push(location);
      }
    }
  };
  walk('');
  return found;
}

/** Names genledger would refuse as a profile (odd characters) are not profiles it can take over. */
function locationOrNull(home: StateHome, name: string): ProfileLocation | null {
  try {
    return resolveProfile(home, name);
  } catch (error) {
    if (isGenledgerError(error)) return null;
    throw error;
  }
}

function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}
