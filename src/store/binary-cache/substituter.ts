/**
 * Substitution: making store paths valid by fetching them, and whatever of
 * their closure is missing, from binary caches. The whole plan is settled
 * before anything is fetched — every missing path found in the first cache
 * that has it and, when signatures are required, trusted — so a path that
 * no cache has or nobody vouches for stops the run before it writes
 * anything. Paths are then added dependencies first, so the store's
 * invariant holds after every step: a valid path's references are valid.
 * A path that is already valid is taken with its closure, as Nix does.
 */
import { integrityError, refused } from '../../errors.js';
import type { PublicKey } from '../../ledger/nix-key.js';
import { topoSortPaths } from '../closure.js';
import type { Store } from '../store.js';
import type { BinaryCache } from './cache-reader.js';
import type { NarInfo } from './narinfo.js';
import { isTrusted } from './path-trust.js';
import { substitutePath } from './substitute-path.js';

export interface SubstituteOptions {
  readonly store: Store;
  /** In order of preference. */
  readonly caches: readonly BinaryCache[];
  readonly paths: readonly string[];
  readonly trustedKeys?: readonly PublicKey[];
  /** Refuse paths without a valid signature by a trusted key (unless their CA implies their path). */
  readonly requireSigs: boolean;
  readonly pid: number;
  readonly now: Date;
  /** Awaited after each path: the caller's safe point between two paths. */
  readonly onProgress?: (event: SubstituteProgress) => void | Promise<void>;
}

export interface SubstituteProgress {
  readonly path: string;
  readonly cache: string;
  readonly narSize: number;
  /** How many paths of this run are done, this one included, out of `total`. */
  readonly done: number;
  readonly total: number;
}

export interface SubstituteResult {
  /** In the order they were added: dependencies first. */
  readonly substituted: string[];
  /** Paths met (asked for or referenced) that were valid already. */
  readonly alreadyValid: string[];
}

interface Step {
  readonly info: NarInfo;
  readonly cache: BinaryCache;
}

export async function substitute(options: SubstituteOptions): Promise<SubstituteResult> {
  const { steps, alreadyValid } = await plan(options);
  const order = topoSortPaths(new Set(steps.keys()), (path) => steps.get(path)?.info.references ?? []);
  const substituted: string[] = [];
  for (const path of order) {
    const step = steps.get(path) as Step;
    await substitutePath(options.store, step.cache, step.info, options);
    substituted.push(path);
    await options.onProgress?.({ path, cache: step.cache.url, narSize: step.info.narSize, done: substituted.length, total: order.length });
  }
  return { substituted, alreadyValid };
}

async function plan(options: SubstituteOptions): Promise<{ steps: Map<string, Step>; alreadyValid: string[] }> {
  const { store, caches } = options;
  const steps = new Map<string, Step>();
  const alreadyValid: string[] = [];
  const neededBy = new Map<string, string | undefined>(options.paths.map((path) => [path, undefined]));
  // Each distinct path enters the queue once (the loop also visits what it appends), so the walk ends with the closure.
  const queue = [...neededBy.keys()];
  for (const path of queue) {
    store.storeDir.parseStorePath(path);
    if (await store.isValid(path)) {
      alreadyValid.push(path);
      continue;
    }
    const step = await findInCaches(caches, path);
    if (step === null) {
      const referrer = neededBy.get(path);
      throw refused(
        'GENLEDGER_PATH_NOT_IN_CACHE',
        `path '${path}'${referrer === undefined ? '' : ` (needed by '${referrer}')`} is in none of the binary caches ${caches.map((cache) => cache.url).join(', ') || '(none given)'}`,
        'add a cache that has it, or export it again with its closure',
      );
    }
    if (options.requireSigs && !isTrusted(store.storeDir, step.info, options.trustedKeys ?? [])) {
      throw integrityError(
        'GENLEDGER_SUBSTITUTE_FAILED',
        `cannot substitute '${path}' from ${step.cache.url}: it has no valid signature by a trusted key`,
        'trust the key that signed the cache (--trusted-key FILE), or re-sign the cache',
      );
    }
    steps.set(path, step);
    for (const reference of step.info.references) {
      if (neededBy.has(reference)) continue;
      neededBy.set(reference, path);
      queue.push(reference);
    }
  }
  return { steps, alreadyValid };
}

async function findInCaches(caches: readonly BinaryCache[], path: string): Promise<Step | null> {
  for (const cache of caches) {
    const info = await cache.narInfo(path);
    if (info !== null) return { info, cache };
  }
  return null;
}
