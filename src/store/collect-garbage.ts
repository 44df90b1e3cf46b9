/**
 * Garbage collection of a local store: read the store into a plan
 * (`gc-plan.ts`), then, unless it is a dry run, carry the plan out.
 *
 * Crash safety: the dead paths lose their records first, referrers before
 * their references, so at every moment each remaining record's references
 * are still on disk; then each tree to go is renamed, atomically, into the
 * trash (`gc-trash.ts`), and the trash is emptied. A crash leaves at worst
 * trees without records that the recorded plan names (see
 * `interrupted-gc.ts`) or a trash, both finished by the next collection.
 * Only direct children of the store directory are ever moved, and the
 * trash is deleted without following symlinks, on two threads
 * (`remove-trees.ts`): unlinking is most of a collection's time.
 *
 * The caller holds the database lock from planning until the trees are in
 * the trash; since every writer of the store (including `store add` and its
 * `.tmp-*` entries) needs that lock too, nothing can appear or become live
 * between planning and the move. Emptying the trash needs no lock.
 */
import { readdirSync } from 'node:fs';
import { planGarbageCollection } from './gc-plan.js';
import type { GcPlan, ValidPathFacts } from './gc-plan.js';
import { moveToTrash } from './gc-trash.js';
import type { PathInfoDb } from './path-info-db.js';
import type { StoreLocation } from './store-location.js';
import type { TempRoots } from './temp-roots.js';

/** What a collection is at: each record before it goes, then the move of the trees into the trash. */
export type GcProgress =
  | { readonly kind: 'delete-path'; readonly path: string; readonly bytes: number; readonly done: number; readonly total: number }
  | { readonly kind: 'trashed'; readonly total: number };

export interface GcPlanOptions {
  /** Whether a process still runs: a temporary entry of a running process is kept. */
  readonly processAlive: (pid: number) => boolean;
  /** What this home's processes recorded as being added (temp-roots.ts). */
  readonly tempRoots: readonly TempRoots[];
  readonly deleteUnknown?: boolean;
  readonly maxFreed?: number;
}

export interface GcResult {
  /** In the order their records were deleted: referrers before their references. */
  readonly deleted: string[];
  /** Entry names moved to the trash besides the dead paths: temporary entries, then unknown ones. */
  readonly entriesRemoved: string[];
  /** NAR sizes of the deleted paths, as Nix reports them. */
  readonly bytesFreed: number;
}

/** What the plan needs to know of every valid path, read in one scan of the registry (root finding uses it too). */
export async function readValidPaths(pathInfos: PathInfoDb): Promise<ReadonlyMap<string, ValidPathFacts>> {
  const valid = new Map<string, ValidPathFacts>();
  for (const info of await pathInfos.all()) {
    valid.set(info.path, { references: info.references, narSize: info.narSize, deriver: info.deriver });
  }
  return valid;
}

export function readGcPlan(location: StoreLocation, valid: ReadonlyMap<string, ValidPathFacts>, roots: Iterable<string>, options: GcPlanOptions): GcPlan {
  const storeDir = location.storeDir;
  return planGarbageCollection({
    valid,
    roots,
    storeEntries: storeEntries(location.physicalDir),
    processAlive: options.processAlive,
    tempRoots: options.tempRoots,
    isStorePathName: (name) => storeDir.isStorePath(`${storeDir.path}/${name}`),
    ...(options.deleteUnknown === undefined ? {} : { deleteUnknown: options.deleteUnknown }),
    ...(options.maxFreed === undefined ? {} : { maxFreed: options.maxFreed }),
  });
}

/**
 * Deletes the plan's records and moves its trees into the trash; emptying the trash is left to the caller.
 * `onProgress` may stop the collection (a stop signal) by failing before a record goes: the records
 * already gone leave trees the recorded plan names, which the next collection finishes, as after a crash.
 */
export async function carryOutGcPlan(location: StoreLocation, pathInfos: PathInfoDb, plan: GcPlan, pid: number, onProgress?: (progress: GcProgress) => void | Promise<void>): Promise<GcResult> {
  const deleted: string[] = [];
  let bytesFreed = 0;
  for (const { path, bytes } of plan.dead) {
    await onProgress?.({ kind: 'delete-path', path, bytes, done: deleted.length, total: plan.dead.length });
    await pathInfos.delete([path]);
    deleted.push(path);
    bytesFreed += bytes;
  }
  const physicalDir = location.physicalDir;
  const entriesRemoved = [...plan.temporary, ...plan.unknownRemoved];
  const names = [...plan.dead.map(({ path }) => location.physical(path).slice(physicalDir.length + 1)), ...entriesRemoved];
  moveToTrash(location, names, pid);
  onProgress?.({ kind: 'trashed', total: names.length });
  return { deleted, entriesRemoved, bytesFreed };
}

function storeEntries(physicalDir: string): string[] {
  try {
    return readdirSync(physicalDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
