/**
 * Which store paths an import must fetch, and from where, settled before
 * anything is written: each path the imported profiles need that is not
 * valid here is looked up in the bundle's cache and then in each
 * substituter, in order, together with the closure its narinfo names. A
 * required path that no cache has, or (with trusted keys) that nobody
 * trusted vouches for, stops the import. Then every planned NAR is read
 * once and hashed, so a damaged or swapped NAR is found before the first
 * path enters the store; substitution checks everything again as it writes.
 *
 * The bundle's own cache is part of the bundle: a narinfo there that cannot
 * be read is an integrity failure of the bundle (exit 4).
 */
import { integrityError, isGenledgerError, refused } from '../../errors.js';
import type { PublicKey } from '../../ledger/nix-key.js';
import type { BinaryCache } from '../../store/binary-cache/cache-reader.js';
import type { NarInfo } from '../../store/binary-cache/narinfo.js';
import { caImpliesPath, isTrusted } from '../../store/binary-cache/path-trust.js';
import { Hash } from '../../store/hash.js';
import type { Store } from '../../store/store.js';
import type { StoreDir } from '../../store/store-path.js';
import { badBundle } from './bundle-format.js';

export interface StoreStep {
  readonly path: string;
  readonly cache: BinaryCache;
  readonly info: NarInfo;
}

export interface StorePlan {
  /** Paths to substitute, in the order they were found. */
  readonly steps: readonly StoreStep[];
  /** Optional paths that no cache has (an earlier gc removed them at the origin, say). */
  readonly unavailable: readonly string[];
}

export interface PlanStoreOptions {
  readonly store: Store;
  /** In order of preference: the bundle's cache first. */
  readonly caches: readonly BinaryCache[];
  /** The bundle's own cache, whose damage is the bundle's. */
  readonly bundleCache: BinaryCache | null;
  readonly required: readonly string[];
  readonly optional: readonly string[];
  readonly trustedKeys: readonly PublicKey[];
}

interface Need {
  readonly path: string;
  readonly required: boolean;
  readonly neededBy?: string;
}

export async function planStorePaths(options: PlanStoreOptions): Promise<StorePlan> {
  const { store, caches, trustedKeys } = options;
  const status = new Map<string, 'valid' | 'planned' | 'unavailable'>();
  const steps: StoreStep[] = [];
  const unavailable: string[] = [];
  const queue: Need[] = [...options.required.map((path) => ({ path, required: true })), ...options.optional.map((path) => ({ path, required: false }))];
  // Every path is looked up once; the queue grows only by references of newly planned paths, so the walk ends with the closure.
  for (const need of queue) {
    const known = status.get(need.path);
    if (known === 'unavailable' && need.required) throw notInCaches(need, caches);
    if (known !== undefined) continue;
    store.storeDir.parseStorePath(need.path);
    if (await store.isValid(need.path)) {
      status.set(need.path, 'valid');
      continue;
    }
    const step = await findInCaches(caches, need.path, options.bundleCache);
    if (step === null) {
      if (need.required) throw notInCaches(need, caches);
      status.set(need.path, 'unavailable');
      unavailable.push(need.path);
      continue;
    }
    if (trustedKeys.length > 0 && !isTrusted(store.storeDir, step.info, trustedKeys)) {
      throw integrityError(
        'GENLEDGER_SUBSTITUTE_FAILED',
        `cannot substitute '${need.path}' from ${step.cache.url}: it has no valid signature by a trusted key`,
        'trust the key that signed the cache (--trusted-key FILE), or re-export with --sign-key',
      );
    }
    status.set(need.path, 'planned');
    steps.push(step);
    for (const reference of step.info.references) queue.push({ path: reference, required: true, neededBy: need.path });
  }
  return { steps, unavailable };
}

/**
 * Reads and hashes every planned NAR; throws at the first that is not what
 * its narinfo says, or whose content address does not give its store path
 * with its references (a dropped or changed References line): nothing is
 * fetched before all are checked, so a damaged bundle leaves no trace.
 */
export async function checkPlannedNars(plan: StorePlan, storeDir: StoreDir): Promise<void> {
  for (const { cache, info } of plan.steps) {
    if (info.ca !== undefined && !caImpliesPath(storeDir, info)) {
      throw integrityError(
        'GENLEDGER_SUBSTITUTE_FAILED',
        `the narinfo of '${info.storePath}' in ${cache.url} has a content address ${info.ca} that, with its references, does not give that path`,
        'the binary cache is damaged or was tampered with; nothing was imported',
      );
    }
    const hash = Hash.incremental('sha256');
    let size = 0;
    for await (const chunk of cache.narStream(info)) {
      hash.update(chunk);
      size += chunk.length;
    }
    if (size !== info.narSize || !hash.digest().equals(info.narHash)) {
      throw integrityError(
        'GENLEDGER_NAR_HASH_MISMATCH',
        `NAR '${info.url}' of '${info.storePath}' in ${cache.url} does not have the NarHash and NarSize its narinfo says`,
        'the binary cache is damaged or was tampered with; nothing was imported',
      );
    }
  }
}

async function findInCaches(caches: readonly BinaryCache[], path: string, bundleCache: BinaryCache | null): Promise<StoreStep | null> {
  for (const cache of caches) {
    let info: NarInfo | null;
    try {
      info = await cache.narInfo(path);
    } catch (error) {
      if (cache === bundleCache && isGenledgerError(error)) throw badBundle(`the bundle's cache is damaged: ${error.message}`);
      throw error;
    }
    if (info !== null) return { path, cache, info };
  }
  return null;
}

function notInCaches(need: Need, caches: readonly BinaryCache[]) {
  return refused(
    'GENLEDGER_PATH_NOT_IN_CACHE',
    `store path '${need.path}'${need.neededBy === undefined ? '' : ` (needed by '${need.neededBy}')`} is neither valid here nor in any of the caches ${caches.map((cache) => cache.url).join(', ') || '(none: the bundle has no cache)'}`,
    'export with --with-store, or add a --substituter that has it',
  );
}
