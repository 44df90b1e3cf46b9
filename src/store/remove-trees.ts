/**
 * Deletes many trees (the dead paths of a collection) on two threads. An
 * unlink is cheap to ask for but costs the kernel several microseconds, so
 * deleting a store's garbage (a profile path alone may hold tens of
 * thousands of symlinks) is bound by system calls, not by JavaScript; the
 * kernel runs unlinks in different directories in parallel, so a second
 * thread nearly halves the time on a machine with a spare core.
 *
 * Both threads take the trees from one shared counter, each its next index,
 * so they share the work whatever the sizes of the trees. This thread starts
 * at once; the helper (`removal-helper.ts`) joins when it is up, and a job
 * done before then does not wait for it.
 */
import { availableParallelism } from 'node:os';
import { NEXT, sharedCounters, startRemovalHelper } from './removal-helper.js';
import type { HelperReport } from './removal-helper.js';
import { removeTree } from './remove-tree.js';

/**
 * `onTaken` hears, after each tree this thread removes, how many trees both
 * threads have taken so far; if it fails (a stop signal), no further tree is
 * taken and the helper finishes the one it is removing.
 */
export async function removeTrees(paths: readonly string[], onTaken?: (taken: number) => void | Promise<void>): Promise<void> {
  if (paths.length < 2 || availableParallelism() < 2) {
    for (const [index, path] of paths.entries()) {
      removeTree(path);
      await onTaken?.(index + 1);
    }
    return;
  }
  const counters = sharedCounters();
  const helper = startRemovalHelper(paths, counters);
  let report: HelperReport | null;
  try {
    for (let index = Atomics.add(counters, NEXT, 1); index < paths.length; index = Atomics.add(counters, NEXT, 1)) {
      removeTree(paths[index] as string);
      await onTaken?.(Math.min(Atomics.load(counters, NEXT), paths.length));
    }
  } finally {
    // On a failure here, the helper must take nothing more either.
    Atomics.store(counters, NEXT, paths.length);
    report = await helper.settle();
    await helper.stop();
  }
  if (report === null) throw new Error('the tree removal thread stopped in the middle of a tree');
  const { failure } = report;
  if (failure !== undefined) throw Object.assign(new Error(failure.message), { code: failure.code, syscall: failure.syscall, path: failure.path });
}
