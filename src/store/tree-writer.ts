/**
 * Writes an in-memory NarNode tree to disk in canonical store form (files
 * 0444/0555, directories 0555, every mtime 1): how projections materialise
 * profile store paths whose hash they computed from the model.
 *
 * Every entry costs two system calls (create, then set its mtime), and a
 * profile can have 40,000. Naming entries relative to the directory being
 * filled, with the working directory moved there for the duration of this
 * synchronous call, spares the kernel a walk of the whole absolute path per
 * call: about a third of the time. Where the working directory cannot move
 * (a worker thread), absolute paths are used. `onEntries` hears how many
 * entries are written, for a progress line.
 */
import { chmodSync, lutimesSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import type { FaultInjector } from '../fault-injection.js';
import { noFaults } from '../fault-injection.js';
import type { NarDirectory, NarNode } from './nar-node.js';

/** Told `done` of `total` entries are written. */
export type TreeProgress = (done: number, total: number) => void;

/** Entries written between two reports: a report reads the clock. */
const reportEvery = 256;

/**
 * Every entry written passes the fault injector's step once, so wrapping it
 * counts them without a second walk; reports every `reportEvery` entries.
 */
function countingFaults(total: number, faults: FaultInjector, onEntries: TreeProgress | undefined): FaultInjector {
  if (onEntries === undefined) return faults;
  let done = 0;
  return {
    reach(step) {
      faults.reach(step);
      if (++done % reportEvery === 0) onEntries(done, total);
    },
  };
}

export function writeTree(node: NarNode, destination: string, faults: FaultInjector = noFaults, onEntries?: TreeProgress): void {
  const total = onEntries === undefined ? 0 : countEntries(node);
  const counting = countingFaults(total, faults, onEntries);
  const cwd = node.type === 'directory' && isMainThread ? currentDirectory() : null;
  try {
    if (node.type !== 'directory' || cwd === null) writeNode(node, destination, counting);
    else writeDirectory(node, destination, counting);
  } finally {
    if (cwd !== null) process.chdir(cwd);
  }
  onEntries?.(total, total);
}

export function countEntries(node: NarNode): number {
  if (node.type !== 'directory') return 1;
  let count = 1;
  for (const child of node.entries.values()) count += countEntries(child);
  return count;
}

/** null when the working directory is gone (deleted under the process): then it cannot be returned to. */
function currentDirectory(): string | null {
  try {
    return process.cwd();
  } catch {
    return null;
  }
}

/** Fills `path` from inside it; `path` must be absolute, or relative to the current directory. */
function writeDirectory(node: NarDirectory, path: string, faults: FaultInjector): void {
  faults.reach('during-tree-build');
  mkdirSync(path, { mode: 0o755 });
  process.chdir(path);
  for (const [name, child] of node.entries) {
    if (child.type !== 'directory') writeNode(child, name, faults);
    else {
      writeDirectory(child, name, faults);
      process.chdir('..');
    }
  }
  chmodSync('.', 0o555);
  lutimesSync('.', 1, 1);
}

function writeNode(node: NarNode, destination: string, faults: FaultInjector): void {
  faults.reach('during-tree-build');
  switch (node.type) {
    case 'regular':
      writeFileSync(destination, node.contents, { flag: 'wx', mode: node.executable ? 0o555 : 0o444 });
      break;
    case 'symlink':
      symlinkSync(node.target, destination);
      break;
    case 'directory':
      mkdirSync(destination, { mode: 0o755 });
      for (const [name, child] of node.entries) writeNode(child, `${destination}/${name}`, faults);
      chmodSync(destination, 0o555);
      break;
  }
  lutimesSync(destination, 1, 1);
}
