/**
 * Temporary roots, as Nix keeps them (`/nix/var/nix/temproots/PID`): before
 * a process renames a new tree into the store, it appends the path's name
 * to its own file `<dir of the store>/var/genledger/temproots/<pid>`. The
 * tree's record is written later (synced, just before the event that names
 * it), so for a while the store holds a tree no record lists. While the
 * process lives, gc keeps such a tree (and, once valid, its closure); once
 * the process is gone without committing, gc knows the tree as this home's
 * own leftover and removes it. A session that committed its records
 * removes its file; only a killed process leaves one behind.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { removeTree } from './remove-tree.js';
import type { StoreLocation } from './store-location.js';

export interface TempRoots {
  readonly pid: number;
  /** Base names of store entries the process was adding. */
  readonly names: readonly string[];
}

function tempRootsDir(location: StoreLocation): string {
  return join(dirname(location.physicalDir), 'var', 'genledger', 'temproots');
}

/** Records `storePaths` as in use by `pid` (being added, or named by a build with the lock given up), so gc keeps them while it runs. */
export function addTempRoots(location: StoreLocation, pid: number, storePaths: readonly string[]): void {
  const dir = tempRootsDir(location);
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, String(pid)), storePaths.map((path) => `${path.slice(path.lastIndexOf('/') + 1)}\n`).join(''));
}

/** Records `storePath` as being added by `pid`, then moves the finished tree `from` onto it (replacing an unregistered entry). */
export function moveIntoStore(location: StoreLocation, pid: number, from: string, storePath: string): void {
  addTempRoots(location, pid, [storePath]);
  const physical = location.physical(storePath);
  removeTree(physical);
  renameSync(from, physical);
}

export function readTempRoots(location: StoreLocation): TempRoots[] {
  const dir = tempRootsDir(location);
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  const roots: TempRoots[] = [];
  for (const file of files) {
    if (!/^\d+$/.test(file)) continue;
    let text: string;
    try {
      text = readFileSync(join(dir, file), 'utf8');
    } catch {
      continue;
    }
    roots.push({ pid: Number(file), names: text.split('\n').filter((name) => name !== '' && !name.includes('/')) });
  }
  return roots;
}

export function removeTempRoots(location: StoreLocation, pid: number): void {
  rmSync(join(tempRootsDir(location), String(pid)), { force: true });
}
