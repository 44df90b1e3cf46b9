/**
 * Adds a NAR to the store under the store path and info the caller vouches
 * for (Nix's `addToStore` of a NAR with its ValidPathInfo): restored under
 * a temporary name, checked against the expected NAR hash and size, renamed
 * into place under this process's temporary root, then registered. A path
 * that is already valid is left alone; a NAR that does not hash as promised
 * adds nothing.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { integrityError } from '../errors.js';
import type { Hash } from './hash.js';
import type { NarInput } from './nar-source.js';
import { restoreNar } from './nar-restore.js';
import type { PathInfo } from './path-info.js';
import type { PathInfoDb } from './path-info-db.js';
import { removeTree } from './remove-tree.js';
import type { StoreLocation } from './store-location.js';
import { tempName } from './temp-name.js';
import { moveIntoStore } from './temp-roots.js';

export interface NarToAdd {
  readonly path: string;
  readonly narHash: Hash;
  readonly narSize: number;
  readonly references: readonly string[];
  readonly ca?: string;
  readonly deriver?: string;
  /** Signatures vouching for the path (a binary cache's), for a store that checks them. */
  readonly signatures?: readonly string[];
}

export async function addNarToStore(location: StoreLocation, db: PathInfoDb, nar: NarInput, item: NarToAdd, options: { pid: number; now: Date }): Promise<PathInfo> {
  location.storeDir.parseStorePath(item.path);
  const existing = await db.get(item.path);
  if (existing !== null && existsSync(location.physical(item.path))) return existing;
  mkdirSync(location.physicalDir, { recursive: true });
  const temp = `${location.physicalDir}/${tempName(options.pid)}`;
  try {
    const digest = restoreNar(nar, temp);
    if (!digest.narHash.equals(item.narHash) || digest.narSize !== item.narSize) {
      throw integrityError(
        'GENLEDGER_NAR_HASH_MISMATCH',
        `the NAR for '${item.path}' has hash ${digest.narHash.toTyped('nix32')} (${digest.narSize} bytes), not the promised ${item.narHash.toTyped('nix32')} (${item.narSize} bytes)`,
        'nothing was added; fetch the NAR again',
      );
    }
    moveIntoStore(location, options.pid, temp, item.path);
  } finally {
    removeTree(temp);
  }
  const info: PathInfo = {
    path: item.path,
    narHash: item.narHash,
    narSize: item.narSize,
    references: [...item.references].sort(),
    ca: item.ca ?? null,
    registrationTime: Math.floor(options.now.getTime() / 1000),
    ...(item.deriver === undefined ? {} : { deriver: item.deriver }),
  };
  await db.put(info);
  return info;
}
