/**
 * Bringing store paths that exist on this machine but not in genledger's
 * store (in Nix's /nix/store, say, when genledger's store is a chroot named
 * for /nix/store) into it, for generations taken over from disk. A path's
 * name is its identity in both stores, since both are named for the same
 * logical directory; its contents are read from the path itself, never
 * rebuilt: its NAR (dumpPath) goes to a temporary file in the store, is
 * restored under a temporary name, renamed into place and only then
 * registered, the store's crash-safe order.
 *
 * Nix's database is not read, so references are recovered the way Nix
 * finds a build's: by scanning each NAR for the hash parts of candidate
 * paths, here the profile's own closure candidates (its element store paths,
 * its generation paths and nix-env's env-manifest paths). A dependency of a
 * package outside that set is therefore neither recorded nor copied. The
 * content address is recorded when the path's name proves it
 * (content-address-proof.ts: a `profile` or `nix-store --add` path, an
 * env-manifest text file); a user-environment is input-addressed and gets
 * none. Dependencies are copied before the
 * paths that refer to them.
 */
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { refused } from '../../errors.js';
import { fileChunks } from '../../store/binary-cache/file-chunks.js';
import { proveContentAddress } from '../../store/content-address-proof.js';
import type { Hash } from '../../store/hash.js';
import type { Store } from '../../store/store.js';
import { digestNar } from '../../store/nar-digest.js';
import type { NarDigest } from '../../store/nar-digest.js';
import { dumpPath, hashPath } from '../../store/nar-writer.js';
import type { PathInfo } from '../../store/path-info.js';
import { ReferenceScanner } from '../../store/reference-scanner.js';
import { removeTree } from '../../store/remove-tree.js';
import { HASH_PART_LENGTH } from '../../store/store-path.js';
import { tempName } from '../../store/temp-name.js';

export interface PlannedCopy {
  readonly path: string;
  readonly narHash: Hash;
  readonly narSize: number;
  readonly references: readonly string[];
  readonly ca: string | null;
}

/** Where a store path can be read: genledger's copy when it holds the path, else the path itself. */
export async function readablePlace(store: Store, path: string): Promise<string> {
  return (await store.isValid(path)) ? store.location.physical(path) : path;
}

/** The paths `roots` need copied, dependencies first; nothing is written. */
export async function planCopies(store: Store, roots: Iterable<string>, candidates: Iterable<string>): Promise<PlannedCopy[]> {
  const byHashPart = new Map<string, string>();
  for (const path of candidates) byHashPart.set(hashPartOf(path), path);
  const planned = new Set<string>();
  const order: PlannedCopy[] = [];
  const visit = async (path: string): Promise<void> => {
    if (planned.has(path) || (await store.isValid(path))) return;
    planned.add(path);
    if (!existsSync(path)) throw refused('GENLEDGER_NOT_VALID', `'${path}' is neither in the store ${store.location.logicalDir} nor on this machine`, 'the profile links to a path that is gone; delete that generation first');
    const scanner = new ReferenceScanner(byHashPart);
    const digest = hashPath(path, scanner.feed);
    const found = scanner.found();
    const selfReference = found.delete(path);
    const proven = proveContentAddress(store.storeDir, path, path, digest, [...found], selfReference);
    for (const reference of proven.references) if (reference !== path) await visit(reference);
    order.push({ path, ...digest, ...proven });
  };
  for (const root of roots) await visit(root);
  return order;
}

export async function carryOutCopies(store: Store, plan: readonly PlannedCopy[], options: { pid: number; now: Date }): Promise<PathInfo[]> {
  const { location } = store;
  const copied: PathInfo[] = [];
  for (const item of plan) {
    if (await store.isValid(item.path)) continue;
    mkdirSync(location.physicalDir, { recursive: true });
    const narFile = `${location.physicalDir}/${tempName(options.pid)}`;
    try {
      if (!sameDigest(dumpToFile(item.path, narFile), item)) {
        throw refused('GENLEDGER_PATH_CHANGED', `'${item.path}' changed while it was being copied into the store`, 'run the command again');
      }
      // The store restores the NAR and checks it against what was read; an entry without a registration (a crash's leftover, or the source itself) is replaced.
      copied.push(await store.addNar(fileChunks(narFile), { path: item.path, narHash: item.narHash, narSize: item.narSize, references: item.references, ...(item.ca === null ? {} : { ca: item.ca }) }, options));
    } finally {
      removeTree(narFile);
    }
  }
  return copied;
}

function dumpToFile(source: string, narFile: string): NarDigest {
  const fd = openSync(narFile, 'wx', 0o600);
  try {
    return digestNar((sink) => dumpPath(source, sink), (chunk) => {
      for (let written = 0; written < chunk.length; ) written += writeSync(fd, chunk, written, chunk.length - written);
    });
  } finally {
    closeSync(fd);
  }
}

function hashPartOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1, path.lastIndexOf('/') + 1 + HASH_PART_LENGTH);
}

function sameDigest(digest: NarDigest, item: PlannedCopy): boolean {
  return digest.narHash.equals(item.narHash) && digest.narSize === item.narSize;
}
