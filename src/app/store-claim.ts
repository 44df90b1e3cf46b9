/**
 * One store directory, one home. A home's registry lists only its own
 * paths, so two homes collecting one store would delete each other's; the
 * store is therefore claimed by the first home that uses it, and refused to
 * every other. The claim is a small file beside the store,
 * `<dir>/../var/genledger/owner`, naming the owner's absolute root; it is
 * written under a temporary name and hard-linked into place, so two homes
 * racing for a store cannot both win. A home's own `<home>/store` needs no
 * claim, and a store `<X>/store` beside a database `<X>/db` belongs to home
 * X (a copied home still names the original's store). Nix-managed stores
 * are not claimed: genledger never collects them.
 */
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { refused } from '../errors.js';
import { isNixManagedStore } from '../store/nix-managed.js';
import type { StoreLocation } from '../store/store-location.js';
import { tempName } from '../store/temp-name.js';

export function claimFile(location: StoreLocation): string {
  return join(dirname(location.physicalDir), 'var', 'genledger', 'owner');
}

/**
 * Claims the store for the home at `homeRoot`, or refuses when another home
 * owns it. A dry run (`write` false) only checks: it writes nothing.
 */
export function claimStore(homeRoot: string, location: StoreLocation, options: { pid: number; write: boolean }): void {
  if (location.physicalDir === join(homeRoot, 'store') || isNixManagedStore(location)) return;
  const owner = ownerOf(location) ?? (options.write ? writeClaim(location, homeRoot, options.pid) : homeRoot);
  if (owner !== homeRoot) {
    throw refused(
      'GENLEDGER_STORE_CLAIMED',
      `the store '${location.physicalDir}' belongs to the home '${owner}'`,
      'use that home with --home, or give this home its own --store-root',
    );
  }
}

function ownerOf(location: StoreLocation): string | null {
  const file = claimFile(location);
  if (existsSync(file)) {
    const home = claimedHome(readFileSync(file, 'utf8'));
    return home ?? `(an unreadable claim in ${file})`;
  }
  const beside = dirname(location.physicalDir);
  if (basename(location.physicalDir) === 'store' && existsSync(join(beside, 'db'))) return beside;
  return null;
}

/** Writes the claim unless another home got there first; returns the owner either way. */
function writeClaim(location: StoreLocation, homeRoot: string, pid: number): string {
  const file = claimFile(location);
  mkdirSync(dirname(file), { recursive: true });
  const temp = join(dirname(file), tempName(pid));
  writeFileSync(temp, `${JSON.stringify({ home: homeRoot })}\n`, { flush: true });
  try {
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  return ownerOf(location) ?? homeRoot;
}

function claimedHome(text: string): string | null {
  try {
    const claim = JSON.parse(text) as { home?: unknown } | null;
    return typeof claim?.home === 'string' ? claim.home : null;
  } catch {
    return null;
  }
}
