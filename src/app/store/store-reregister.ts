/**
 * Rebuilding the store's registry from the disk, after the database that
 * held it was lost. Every entry of the store directory that is named like
 * a store path and not registered is registered again: its NAR hash and
 * size are computed from what is on disk, its references are found by
 * scanning its NAR for the hash parts of the other store entries (as Nix
 * finds a build's), and its content address is recorded when its name
 * proves it (content-address-proof.ts), which also settles the references
 * a plain `store add` recorded. Entries that are not store paths (the
 * temporary entries of a crashed run) are left alone, for `gc`.
 *
 * Registration order does not matter here: recovery runs in one process
 * holding the database, and a failure discards the whole database.
 */
import { isGenledgerError } from '../../errors.js';
import { listNames } from '../../fsx/list-names.js';
import { proveContentAddress } from '../../store/content-address-proof.js';
import type { OwnStore } from '../../store/store.js';
import { hashPath } from '../../store/nar-writer.js';
import { ReferenceScanner } from '../../store/reference-scanner.js';
import { HASH_PART_LENGTH } from '../../store/store-path.js';
import type { Progress } from '../session/progress.js';

export interface Reregistration {
  /** The store paths registered again, in store-path order. */
  readonly registered: readonly string[];
  /** Store paths that were registered already (fetched from a source, say). */
  readonly alreadyValid: number;
  /** Entries named like store paths that could not be read, with why: left unregistered, for gc. */
  readonly unreadable: ReadonlyArray<{ readonly path: string; readonly problem: string }>;
}

export async function reregisterStore(store: OwnStore, now: Date, progress: Progress): Promise<Reregistration> {
  const { location, storeDir } = store;
  const paths = listNames(location.physicalDir)
    .map((name) => `${storeDir.path}/${name}`)
    .filter((path) => storeDir.isStorePath(path))
    .sort();
  const byHashPart = new Map(paths.map((path) => [path.slice(storeDir.path.length + 1, storeDir.path.length + 1 + HASH_PART_LENGTH), path]));
  const registered: string[] = [];
  const unreadable: Array<{ path: string; problem: string }> = [];
  let alreadyValid = 0;
  for (const [index, path] of paths.entries()) {
    progress.step('re-registering store paths', index, paths.length);
    if (await store.isRegistered(path)) {
      alreadyValid += 1;
      continue;
    }
    const physical = location.physical(path);
    const scanner = new ReferenceScanner(byHashPart);
    let digest;
    try {
      digest = hashPath(physical, scanner.feed);
    } catch (error) {
      if (!isGenledgerError(error)) throw error;
      unreadable.push({ path, problem: error.message });
      continue;
    }
    const found = scanner.found();
    const selfReference = found.delete(path);
    const proven = proveContentAddress(storeDir, path, physical, digest, [...found], selfReference);
    await store.register({ path, ...digest, ...proven, registrationTime: Math.floor(now.getTime() / 1000) });
    registered.push(path);
  }
  return { registered, alreadyValid, unreadable };
}
