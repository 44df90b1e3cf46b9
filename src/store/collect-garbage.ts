/**
 * Garbage collection of a local store: read the store into a plan
 * (`gc-plan.ts`), then, unless it is a dry run, carry the plan out.
 *
 * Crash safety: the dead paths lose their records first, referrers before
 * their references, and only then their trees, so at every moment each
 * remaining record's references are still on disk. A crash leaves at worst
 * trees without records, which are junk that the next collection removes.
 * Junk is only ever a direct child of the store directory, deleted without
 * following symlinks. Once no record names them, the trees are deleted all
 * at once, on two threads (`remove-trees.ts`): unlinking is most of a
 * collection's time.
 *
 * The caller holds the database lock for the whole run; since every writer
 * of the store (including `store add` and its `.tmp-*` entries) needs that
 * lock too, nothing can appear or become live between planning and deletion.
 */
import { readdirSync } from 'node:fs';
import { planGarbageCollection } from './gc-plan.js';
import type { GcPlan, ValidPathFacts } from './gc-plan.js';
import type { LocalStore } from './local-store.js';
import { removeTrees } from './remove-trees.js';

/** What a collection is at: each record before it goes, each junk entry, then the trees as they are taken. */
export type GcProgress =
  | { readonly kind: 'delete-path'; readonly path: string; readonly bytes: number; readonly done: number; readonly total: number }
  | { readonly kind: 'remove-junk'; readonly name: string }
  | { readonly kind: 'remove-trees'; readonly done: number; readonly total: number };

export interface CollectGarbageOptions {
  readonly dryRun: boolean;
  readonly maxFreed?: number;
  readonly onProgress?: (progress: GcProgress) => void;
}

export interface GcResult {
  /** In the order their records were deleted: referrers before their references. */
  readonly deleted: string[];
  readonly junkRemoved: string[];
  /** NAR sizes of the deleted paths, as Nix reports them. */
  readonly bytesFreed: number;
}

export interface GcOutcome extends GcResult {
  /** What was (or, in a dry run, would be) done. */
  readonly plan: GcPlan;
}

export async function collectGarbage(store: LocalStore, roots: Iterable<string>, options: CollectGarbageOptions): Promise<GcOutcome> {
  const plan = readGcPlan(store, await readValidPaths(store), roots, options.maxFreed);
  if (options.dryRun) return { plan, deleted: [], junkRemoved: [], bytesFreed: 0 };
  return { plan, ...(await carryOutGcPlan(store, plan, options.onProgress)) };
}

/** What the plan needs to know of every valid path, read in one scan of the registry (root finding uses it too). */
export async function readValidPaths(store: LocalStore): Promise<ReadonlyMap<string, ValidPathFacts>> {
  const valid = new Map<string, ValidPathFacts>();
  for (const info of await store.pathInfos.all()) {
    valid.set(info.path, { references: info.references, narSize: info.narSize, deriver: info.deriver });
  }
  return valid;
}

export function readGcPlan(store: LocalStore, valid: ReadonlyMap<string, ValidPathFacts>, roots: Iterable<string>, maxFreed?: number): GcPlan {
  return planGarbageCollection({ valid, roots, storeEntries: storeEntries(store.location.physicalDir), maxFreed });
}

export async function carryOutGcPlan(store: LocalStore, plan: GcPlan, onProgress?: (progress: GcProgress) => void): Promise<GcResult> {
  for (const name of plan.junk) {
    if (name === '' || name === '.' || name === '..' || name.includes('/')) {
      throw new Error(`refusing to remove '${name}': junk must be a direct child of the store directory`);
    }
  }
  const physicalDir = store.location.physicalDir;
  const trees = [...plan.dead.map(({ path }) => store.location.physical(path)), ...plan.junk.map((name) => `${physicalDir}/${name}`)];
  const deleted: string[] = [];
  let bytesFreed = 0;
  for (const { path, bytes } of plan.dead) {
    onProgress?.({ kind: 'delete-path', path, bytes, done: deleted.length, total: plan.dead.length });
    await store.pathInfos.delete([path]);
    deleted.push(path);
    bytesFreed += bytes;
  }
  for (const name of plan.junk) onProgress?.({ kind: 'remove-junk', name });
  await removeTrees(trees, (done) => onProgress?.({ kind: 'remove-trees', done, total: trees.length }));
  return { deleted, junkRemoved: [...plan.junk], bytesFreed };
}

function storeEntries(physicalDir: string): string[] {
  try {
    return readdirSync(physicalDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
