/**
 * One store directory, one home. A home's registry lists only its own
 * paths, so two homes collecting one store would delete each other's; the
 * store is therefore claimed by the first home that uses it, and refused to
 * every other. The claim is a small file beside the store,
 * `<dir>/../var/genledger/owner`, naming the owner's absolute root and the
 * id of its home marker (so a relocated home still owns its store); it is
 * written under a temporary name and hard-linked into place, so two homes
 * racing for a store cannot both win. A home's own `<home>/store` needs no
 * claim, and a store `<X>/store` beside a database `<X>/db` belongs to home
 * X (a copied home still names the original's store). Nix-managed stores
 * are not claimed: genledger never collects them.
 */
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { refused } from '../../errors.js';
import { isNixManagedStore } from '../../store/nix-managed.js';
import type { StoreLocation } from '../../store/store-location.js';
import { tempName } from '../../store/temp-name.js';

export function claimFile(location: StoreLocation): string {
  return join(dirname(location.physicalDir), 'var', 'genledger', 'owner');
}

/**
 * Claims the store for the home at `homeRoot`, or refuses when another home
 * owns it. A dry run (`write` false) only checks: it writes nothing.
 * Returns what this call wrote, so a failed first command can take it back
 * with its home: the first directory it made for the claim, else the claim
 * file; null when it wrote none.
 */
export function claimStore(home: Claimant, location: StoreLocation, options: { pid: number; write: boolean }): string | null {
  if (location.physicalDir === join(home.root, 'store') || isNixManagedStore(location)) return null;
  const found = ownerOf(location);
  const written = found === null && options.write ? writeClaim(location, home, options.pid) : null;
  const owner = found ?? written?.owner ?? home;
  if (owner.id !== undefined && home.id !== undefined ? owner.id !== home.id : owner.root !== home.root) {
    throw refused(
      'GENLEDGER_STORE_CLAIMED',
      `the store '${location.physicalDir}' belongs to the home '${owner.root}'`,
      'use that home with --home, or give this home its own --store-root',
    );
  }
  // A relocated home (same id, new root), or a claim written before homes had ids: brought up to date.
  if (options.write && existsSync(claimFile(location)) && (owner.root !== home.root || owner.id !== home.id)) rewriteClaim(location, home, options.pid);
  return written?.made ?? null;
}

function claimText(home: Claimant): string {
  return `${JSON.stringify({ home: home.root, ...(home.id === undefined ? {} : { id: home.id }) })}\n`;
}

function rewriteClaim(location: StoreLocation, home: Claimant, pid: number): void {
  const file = claimFile(location);
  const temp = join(dirname(file), tempName(pid));
  writeFileSync(temp, claimText(home), { flush: true });
  renameSync(temp, file);
}

/** A home as a claim names it: its root, and its marker's id when it has one. */
export interface Claimant {
  readonly root: string;
  readonly id?: string;
}

function ownerOf(location: StoreLocation): Claimant | null {
  const file = claimFile(location);
  if (existsSync(file)) {
    return claimedHome(readFileSync(file, 'utf8')) ?? { root: `(an unreadable claim in ${file})`, id: '' };
  }
  const beside = dirname(location.physicalDir);
  if (basename(location.physicalDir) === 'store' && existsSync(join(beside, 'db'))) return { root: beside };
  return null;
}

/** Writes the claim unless another home got there first; returns the owner either way, and what it made. */
function writeClaim(location: StoreLocation, home: Claimant, pid: number): { owner: Claimant; made: string } {
  const file = claimFile(location);
  const made = mkdirSync(dirname(file), { recursive: true }) ?? file;
  const temp = join(dirname(file), tempName(pid));
  writeFileSync(temp, claimText(home), { flush: true });
  try {
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  return { owner: ownerOf(location) ?? home, made };
}

function claimedHome(text: string): Claimant | null {
  try {
    const claim = JSON.parse(text) as { home?: unknown; id?: unknown } | null;
    if (typeof claim?.home !== 'string') return null;
    return typeof claim.id === 'string' ? { root: claim.home, id: claim.id } : { root: claim.home };
  } catch {
    return null;
  }
}
