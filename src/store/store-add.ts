/**
 * `store add`: copy a tree into the store exactly as `nix-store --add`
 * does, atomically. One pass over the source both writes a canonical copy
 * into a temporary entry inside the store directory and hashes the very
 * bytes it wrote (so the hash is of what is stored, even if the source
 * changes meanwhile); the copy is then renamed onto its final name and
 * registered. A failure at any point removes the temporary entry: the store
 * never holds a half-written path.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { renderContentAddress } from './content-address.js';
import { hashPath } from './nar-writer.js';
import type { PathInfo } from './path-info.js';
import type { PathInfoDb } from './path-info-db.js';
import { ReferenceScanner } from './reference-scanner.js';
import { removeTree } from './remove-tree.js';
import type { StoreLocation } from './store-location.js';
import { checkStorePathName } from './store-path.js';
import { tempName } from './temp-name.js';
import { canonicalMirror } from './tree-mirror.js';
import type { TreeMirror } from './tree-mirror.js';
import type { FaultInjector } from '../fault-injection.js';
import { moveIntoStore } from './temp-roots.js';

export interface AddOptions {
  name?: string;
  scanReferences?: boolean;
  pid: number;
  now: Date;
  faults?: FaultInjector;
}

/** Nix's `baseNameOf`: the last component, one trailing slash ignored. */
export function baseNameOf(path: string): string {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

export async function addToStore(location: StoreLocation, db: PathInfoDb, source: string, options: AddOptions): Promise<PathInfo> {
  const name = options.name ?? baseNameOf(source);
  checkStorePathName(name);
  mkdirSync(location.physicalDir, { recursive: true });
  const temp = `${location.physicalDir}/${tempName(options.pid)}`;
  try {
    const candidates = options.scanReferences ? await referenceCandidates(db) : new Map<string, string>();
    const scanner = new ReferenceScanner(candidates);
    const { narHash, narSize } = hashPath(source, candidates.size > 0 ? scanner.feed : undefined, withFaults(canonicalMirror(temp), options.faults));
    const references = [...scanner.found()].sort();
    const path = location.storeDir.makeSourcePath(narHash, references, false, name);
    const existing = await db.get(path);
    const physical = location.physical(path);
    if (existing !== null && existsSync(physical)) return existing;
    moveIntoStore(location, options.pid, temp, path);
    const info: PathInfo = {
      path,
      narHash,
      narSize,
      references,
      ca: renderContentAddress({ method: 'recursive', hash: narHash }),
      registrationTime: Math.floor(options.now.getTime() / 1000),
    };
    await db.put(info);
    return info;
  } finally {
    removeTree(temp);
  }
}

/** The crash tests' hook: every entry copied is a point where the process may die. */
function withFaults(mirror: TreeMirror, faults: FaultInjector | undefined): TreeMirror {
  if (faults === undefined) return mirror;
  return {
    directory: (relative) => (faults.reach('during-store-add'), mirror.directory(relative)),
    directoryDone: (relative) => mirror.directoryDone(relative),
    symlink: (relative, target) => (faults.reach('during-store-add'), mirror.symlink(relative, target)),
    regular: (relative, executable) => (faults.reach('during-store-add'), mirror.regular(relative, executable)),
  };
}

async function referenceCandidates(db: PathInfoDb): Promise<Map<string, string>> {
  const candidates = new Map<string, string>();
  for (const info of await db.all()) {
    const base = info.path.slice(info.path.lastIndexOf('/') + 1);
    candidates.set(base.slice(0, 32), info.path);
  }
  return candidates;
}
