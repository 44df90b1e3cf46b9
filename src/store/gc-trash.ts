/**
 * gc's trash: a directory of gc's own naming inside the physical store
 * directory (`.genledger-trash/`). A dead tree is renamed into it in one
 * atomic step, so the store directory never holds a half-deleted path: an
 * entry is either whole where it was or in the trash. Emptying the trash is
 * the long part of a collection and needs no lock: nothing but gc puts
 * anything there, each entry has a unique name, and two emptiers (two
 * collections, or a collection and `replay`) may work on it at once, since
 * a removal tolerates entries vanishing under it.
 */
import { mkdirSync, readdirSync, renameSync, rmdirSync } from 'node:fs';
import { TRASH_DIR } from './gc-plan.js';
import { removeTrees } from './remove-trees.js';
import type { StoreLocation } from './store-location.js';
import { tempName } from './temp-name.js';

export function trashDir(location: StoreLocation): string {
  return `${location.physicalDir}/${TRASH_DIR}`;
}

/** Moves each named direct child of the store directory into the trash; a name already gone is skipped. */
export function moveToTrash(location: StoreLocation, names: readonly string[], pid: number): void {
  if (names.length === 0) return;
  for (const name of names) {
    if (name === '' || name === '.' || name === '..' || name === TRASH_DIR || name.includes('/')) {
      throw new Error(`refusing to trash '${name}': only a direct child of the store directory goes to the trash`);
    }
  }
  const trash = trashDir(location);
  mkdirSync(trash, { recursive: true, mode: 0o700 });
  for (const name of names) {
    try {
      renameSync(`${location.physicalDir}/${name}`, `${trash}/${tempName(pid)}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** The trash's entries; none when there is no trash. */
export function trashEntries(location: StoreLocation): string[] {
  try {
    return readdirSync(trashDir(location));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Deletes everything in the trash, then the trash itself unless another
 * collection has put something new in it. A failing `onTaken` (a stop
 * signal) leaves the rest of the trash for the next collection.
 */
export async function emptyTrash(location: StoreLocation, onTaken?: (taken: number, total: number) => void | Promise<void>): Promise<void> {
  const trash = trashDir(location);
  const entries = trashEntries(location).map((name) => `${trash}/${name}`);
  await removeTrees(entries, (taken) => onTaken?.(taken, entries.length));
  try {
    rmdirSync(trash);
  } catch (error) {
    if (!['ENOENT', 'ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}
