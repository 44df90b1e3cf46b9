/**
 * Stores for binary-cache tests: chroot-style stores that all name their
 * paths for `/nix/store` (so a path means the same object in each) but live
 * in different physical directories, filled with the spec fixtures, text
 * files, and input-addressed paths (which no CA vouches for).
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryLevel } from 'memory-level';
import { renderContentAddress } from '../../../src/store/content-address.js';
import { Hash } from '../../../src/store/hash.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { hashPath } from '../../../src/store/nar-writer.js';
import type { PathInfo } from '../../../src/store/path-info.js';
import { PathInfoDb } from '../../../src/store/path-info-db.js';
import { addToStore } from '../../../src/store/store-add.js';
import { StoreLocation } from '../../../src/store/store-location.js';
import { fixtureTree, writeTree } from '../store/helpers.js';

export const NOW = new Date('2026-01-02T03:04:05Z');
export const PID = 4242;

export function chrootStore(root: string): EmbeddedStore {
  const store = new EmbeddedStore(new StoreLocation('/nix/store', join(root, 'nix/store')), new PathInfoDb(new MemoryLevel()));
  mkdirSync(store.location.physicalDir, { recursive: true });
  return store;
}

/** Adds fixture `name` of spec 13.1 as `nix-store --add` would. */
export async function addFixture(store: EmbeddedStore, name: string, scratch: string): Promise<PathInfo> {
  const source = join(mkdtempSync(join(scratch, 'src-')), name);
  writeTree(fixtureTree(name), source);
  return addToStore(store.location, store.pathInfos, source, { pid: PID, now: NOW });
}

/** A one-file `source` path whose contents mention `references`, which it therefore refers to. */
export async function addReferrer(store: EmbeddedStore, name: string, references: readonly string[], scratch: string): Promise<PathInfo> {
  const source = join(mkdtempSync(join(scratch, 'src-')), name);
  writeFileSync(source, `${references.join(' ')}\n`);
  return addToStore(store.location, store.pathInfos, source, { pid: PID, now: NOW, scanReferences: true });
}

/** A regular file registered as a text (`text:`) or flat (`fixed:sha256:`) content-addressed path. */
export async function addFlatFile(store: EmbeddedStore, kind: 'text' | 'flat', name: string, contents: string, references: readonly string[] = []): Promise<PathInfo> {
  const hash = Hash.of('sha256', contents);
  const path = kind === 'text' ? store.storeDir.makeTextPath(hash, references, name) : store.storeDir.makeFixedOutputPath('flat', hash, name);
  const physical = store.location.physical(path);
  writeFileSync(physical, contents, { mode: 0o444 });
  const { narHash, narSize } = hashPath(physical);
  const ca = renderContentAddress({ method: kind === 'text' ? 'text' : 'flat', hash });
  const info: PathInfo = { path, narHash, narSize, references: [...references].sort(), ca, registrationTime: 1 };
  await store.pathInfos.put(info);
  return info;
}

/** An input-addressed path (no `ca`): only a signature can vouch for it. */
export async function addInputAddressed(store: EmbeddedStore, name: string, references: readonly string[] = []): Promise<PathInfo> {
  const path = store.storeDir.makeStorePath('output:out', Hash.of('sha256', `drv of ${name}`).toHex(), name);
  const physical = store.location.physical(path);
  mkdirSync(join(physical, 'share'), { recursive: true });
  writeFileSync(join(physical, 'share', 'refs'), `${name}: ${references.join(' ')}\n`);
  chmodSync(join(physical, 'share'), 0o555);
  chmodSync(physical, 0o555);
  const { narHash, narSize } = hashPath(physical);
  const deriver = store.storeDir.makeTextPath(Hash.of('sha256', name), [], `${name}.drv`);
  const info: PathInfo = { path, narHash, narSize, references: [...references].sort(), ca: null, registrationTime: 1, deriver };
  await store.pathInfos.put(info);
  return info;
}

/** The entries of the physical store directory, temporary ones included. */
export function storeEntries(store: EmbeddedStore): string[] {
  return readdirSync(store.location.physicalDir).sort();
}
