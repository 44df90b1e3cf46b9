/**
 * What import-nix and adopt share once they have found generation links
 * genledger did not make: checking that the links point into this home's
 * store (by name: the same logical store directory), reading the manifest
 * inside each generation, planning which store paths to copy in, and
 * projecting the adopted state, whose generations are never built (their
 * store paths are copied, not rebuilt from a manifest).
 */
import type { ObservedLink, ObservedManifest } from '../../domain/observed-profile.js';
import type { ProfileState } from '../../domain/profile-state.js';
import { refused } from '../../errors.js';
import type { FsOp } from '../../projection/fs-op.js';
import { storePackageView } from '../../store/store-package-view.js';
import { recordCheckpoint } from '../session/catch-up.js';
import { planCopies, readablePlace } from '../bundle/foreign-paths.js';
import type { PlannedCopy } from '../bundle/foreign-paths.js';
import { readGenerationManifest } from '../nix-import/nix-profile-reader.js';
import type { ProfileLocation } from './profile-location.js';
import { PackageIndex } from '../provenance/package-index.js';
import { ProfileBuilder } from './profile-builder.js';
import { applyProfilePlan, planProfile } from './profile-projector.js';
import type { Session } from '../session/session-context.js';

export type ReadManifest = ObservedManifest & { readonly envManifest: string | null };

/** The manifests of `links`, by generation number, after checking each target is a path of this store. */
export async function readObservedManifests(session: Session, profile: string, links: readonly ObservedLink[]): Promise<Map<number, ReadManifest>> {
  const { storeDir } = session.store;
  const manifests = new Map<number, ReadManifest>();
  for (const link of links) {
    const label = `generation ${link.number} of '${profile}'`;
    if (!storeDir.isStorePath(link.target)) {
      throw refused(
        'GENLEDGER_STORE_DIR_MISMATCH',
        `${label} points at ${link.target}, which is not a path of this home's store ${storeDir.path}`,
        `use a home whose store is named for the same directory, e.g. --store-dir ${storeParent(link.target)} --store-root DIR`,
      );
    }
    const open = (path: string) => readablePlace(session.store, requireStorePath(session, path, label));
    manifests.set(link.number, await readGenerationManifest(await open(link.target), `${label} (${link.target})`, open, { storeDir, path: link.target }));
  }
  return manifests;
}

/** The manifests read, as the pure decisions look them up (only for links that were read). */
export function manifestLookup(manifests: ReadonlyMap<number, ReadManifest>): (generation: number) => ObservedManifest {
  return (generation) => {
    const read = manifests.get(generation);
    if (read === undefined) throw new Error(`the manifest of generation ${generation} was not read`);
    return read;
  };
}

/** The copies that make every link's target valid here, with the profile's paths as reference candidates. */
export async function planObservedCopies(session: Session, links: readonly ObservedLink[], manifests: ReadonlyMap<number, ReadManifest>): Promise<PlannedCopy[]> {
  const candidates = new Set(links.map((link) => link.target));
  for (const read of manifests.values()) {
    for (const element of read.manifest.elements) for (const path of element.storePaths) candidates.add(path);
    if (read.envManifest !== null) candidates.add(read.envManifest);
  }
  return planCopies(session.store, links.map((link) => link.target), [...candidates].filter((path) => session.store.storeDir.isStorePath(path)));
}

/** The projection plan; paths about to be copied are not to be built. */
export async function planObservedProfile(session: Session, location: ProfileLocation, state: ProfileState, copies: readonly PlannedCopy[]): Promise<FsOp[]> {
  const copied = new Set(copies.map((copy) => copy.path));
  return (await planProfile(session, location, state)).filter((op) => !(op.op === 'build' && copied.has(op.path)));
}

/** Projects the state just appended, then brings the checkpoint and the package index up to date. */
export async function projectObserved(session: Session, location: ProfileLocation, state: ProfileState): Promise<FsOp[]> {
  const ops = await planProfile(session, location, state);
  await applyProfilePlan(session, state, ops, new ProfileBuilder(session.store, storePackageView(session.store.location)));
  await recordCheckpoint(session);
  await new PackageIndex(session.database.db, session.ledger).catchUp();
  return ops;
}

function requireStorePath(session: Session, path: string, label: string): string {
  if (session.store.storeDir.isStorePath(path)) return path;
  throw refused('GENLEDGER_STORE_DIR_MISMATCH', `${label} refers to ${path}, which is not a path of this home's store ${session.store.storeDir.path}`);
}

function storeParent(path: string): string {
  const parent = path.slice(0, path.lastIndexOf('/'));
  return parent === '' ? '/nix/store' : parent;
}
