/**
 * What shell completion offers from a home: profile names and generation
 * numbers, read from the projected `profiles/` directory rather than the
 * ledger. Completion runs on every Tab, so it must never open the database,
 * wait for its lock or create a home; a home that does not exist offers
 * nothing.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { parseCurrentGeneration, parseGenerationLinkName } from '../../domain/generation-link-name.js';
import { listNames } from '../../fsx/list-names.js';
import type { StateHome } from '../session/state-home.js';

/** Profile names may have segments (`per-user/alice/profile`); deeper trees are not profiles genledger makes. */
const maxDepth = 4;

export function profileNames(home: StateHome): string[] {
  return profilesIn(home.profiles, '', 0).sort();
}

export function generationNumbers(home: StateHome, profile: string): number[] {
  const path = isAbsolute(profile) ? profile : join(home.profiles, profile);
  const base = basename(path);
  return listNames(dirname(path))
    .map((name) => parseGenerationLinkName(base, name))
    .filter((n): n is number => n !== null)
    .sort((a, b) => a - b);
}

/** A profile is a link to one of its own generation links (`profile -> profile-5-link`), as Nix makes it. */
function profilesIn(dir: string, prefix: string, depth: number): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    if (entry.isDirectory()) return depth < maxDepth ? profilesIn(join(dir, entry.name), `${prefix}${entry.name}/`, depth + 1) : [];
    if (!entry.isSymbolicLink()) return [];
    return isProfileLink(join(dir, entry.name), entry.name) ? [`${prefix}${entry.name}`] : [];
  });
}

function isProfileLink(path: string, name: string): boolean {
  try {
    return parseCurrentGeneration(name, readlinkSync(path)) !== null;
  } catch {
    return false;
  }
}
