/**
 * Adds an in-memory tree whose NAR digest the caller already computed (a
 * profile) to the store: written under a temporary name in the store
 * directory, renamed into place, then registered — the same crash-safe
 * order as `store add`. A path that is already valid is left alone.
 *
 * The writing can be done first, on its own (`writeTreeToTemp`), while the
 * database is not held: the tree stays under its temporary name, which gc
 * leaves alone while its process lives and removes once it is gone, and
 * the rename and the record follow under the lock. So no other process
 * ever sees the tree under its store path before it can be registered.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { FaultInjector } from '../fault-injection.js';
import { noFaults } from '../fault-injection.js';
import { renderContentAddress } from './content-address.js';
import { fileSystemError } from './file-system-error.js';
import type { NarDigest } from './nar-digest.js';
import type { NarNode } from './nar-node.js';
import type { PathInfo } from './path-info.js';
import type { PathInfoDb } from './path-info-db.js';
import { removeTree } from './remove-tree.js';
import type { StoreLocation } from './store-location.js';
import { tempName } from './temp-name.js';
import { writeTree } from './tree-writer.js';
import type { TreeProgress } from './tree-writer.js';
import { moveIntoStore } from './temp-roots.js';

export interface TreeToAdd {
  readonly path: string;
  readonly tree: NarNode;
  readonly digest: NarDigest;
  readonly references: readonly string[];
  /** The content address to record; by default the tree is NAR-content-addressed (`fixed:r:sha256`). Null: input-addressed. */
  readonly ca?: string | null;
  /** The derivation an input-addressed tree is the output of. */
  readonly deriver?: string;
}

/** The content address a tree is recorded with (see `TreeToAdd.ca`). */
export function contentAddressOf(item: TreeToAdd): string | null {
  return item.ca === undefined ? renderContentAddress({ method: 'recursive', hash: item.digest.narHash }) : item.ca;
}

/** Writes `tree` under a new temporary name in the store directory and returns its path; needs no database. */
export function writeTreeToTemp(location: StoreLocation, item: TreeToAdd, options: { pid: number; faults?: FaultInjector; onEntries?: TreeProgress }): string {
  mkdirSync(location.physicalDir, { recursive: true });
  const temp = `${location.physicalDir}/${tempName(options.pid)}`;
  try {
    writeTree(item.tree, temp, options.faults ?? noFaults, options.onEntries);
  } catch (error) {
    removeTree(temp);
    throw fileSystemError(error, item.path);
  }
  return temp;
}

/** `written`: the tree already written by `writeTreeToTemp`, moved into place instead of writing it again. */
export async function addTreeToStore(
  location: StoreLocation,
  db: PathInfoDb,
  item: TreeToAdd,
  options: { pid: number; now: Date; faults?: FaultInjector; written?: string; onEntries?: TreeProgress },
): Promise<PathInfo> {
  const physical = location.physical(item.path);
  const existing = await db.get(item.path);
  if (existing !== null && existsSync(physical)) return existing;
  mkdirSync(location.physicalDir, { recursive: true });
  const temp = options.written ?? `${location.physicalDir}/${tempName(options.pid)}`;
  try {
    if (options.written === undefined) writeTree(item.tree, temp, options.faults ?? noFaults, options.onEntries);
    moveIntoStore(location, options.pid, temp, item.path);
  } catch (error) {
    throw fileSystemError(error, item.path);
  } finally {
    removeTree(temp);
  }
  const info: PathInfo = {
    path: item.path,
    narHash: item.digest.narHash,
    narSize: item.digest.narSize,
    references: [...item.references].sort(),
    ca: contentAddressOf(item),
    registrationTime: Math.floor(options.now.getTime() / 1000),
    ...(item.deriver === undefined ? {} : { deriver: item.deriver }),
  };
  await db.put(info);
  return info;
}
