/**
 * `store add`: copy a tree into the store exactly as `nix-store --add`
 * does, atomically. The tree is copied into a temporary entry inside the
 * store directory, canonicalised, hashed from that copy (so the hash is of
 * what is stored, even if the source changes meanwhile), then renamed onto
 * its final name and registered. A failure at any point removes the
 * temporary entry: the store never holds a half-written path.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { GenledgerError, refused } from '../errors.js';
import { renderContentAddress } from './content-address.js';
import { Hash } from './hash.js';
import { dumpPath } from './nar-writer.js';
import type { PathInfo } from './path-info.js';
import type { PathInfoDb } from './path-info-db.js';
import { ReferenceScanner } from './reference-scanner.js';
import { removeTree } from './remove-tree.js';
import type { StoreLocation } from './store-location.js';
import { checkStorePathName } from './store-path.js';
import { tempName } from './temp-name.js';
import { checkReadable, copyCanonical } from './tree-copy.js';

export interface AddOptions {
  name?: string;
  scanReferences?: boolean;
  pid: number;
  now: Date;
}

/** Nix's `baseNameOf`: the last component, one trailing slash ignored. */
export function baseNameOf(path: string): string {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

export async function addToStore(location: StoreLocation, db: PathInfoDb, source: string, options: AddOptions): Promise<PathInfo> {
  const name = options.name ?? baseNameOf(source);
  checkStorePathName(name);
  checkReadable(source);
  mkdirSync(location.physicalDir, { recursive: true });
  const temp = `${location.physicalDir}/${tempName(options.pid)}`;
  try {
    copyInto(source, temp);
    const candidates = options.scanReferences ? await referenceCandidates(db) : new Map<string, string>();
    const { narHash, narSize, references } = hashAndScan(temp, candidates);
    const path = location.storeDir.makeSourcePath(narHash, references, false, name);
    const existing = await db.get(path);
    const physical = location.physical(path);
    if (existing !== null && existsSync(physical)) return existing;
    removeTree(physical);
    renameSync(temp, physical);
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

function copyInto(source: string, temp: string): void {
  try {
    copyCanonical(source, temp);
  } catch (error) {
    if (error instanceof GenledgerError) throw error;
    const errno = error as NodeJS.ErrnoException;
    throw refused('GENLEDGER_UNREADABLE', `cannot copy '${errno.path ?? source}' into the store: ${errno.code ?? errno.message}`);
  }
}

async function referenceCandidates(db: PathInfoDb): Promise<Map<string, string>> {
  const candidates = new Map<string, string>();
  for (const info of await db.all()) {
    const base = info.path.slice(info.path.lastIndexOf('/') + 1);
    candidates.set(base.slice(0, 32), info.path);
  }
  return candidates;
}

function hashAndScan(path: string, candidates: ReadonlyMap<string, string>) {
  const hash = Hash.incremental('sha256');
  const scanner = new ReferenceScanner(candidates);
  let narSize = 0;
  dumpPath(path, (chunk) => {
    hash.update(chunk);
    if (candidates.size > 0) scanner.feed(chunk);
    narSize += chunk.length;
  });
  return { narHash: hash.digest(), narSize, references: [...scanner.found()].sort() };
}
