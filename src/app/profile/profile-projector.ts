/**
 * Projects one profile's state onto disk: every live generation's profile
 * store path is materialised if missing, then the links are reconciled and
 * temporary links left by a crashed switch are removed. The plan is
 * computed first and is the same value a dry run prints. Builds only add
 * store paths (harmless until something links to them), so a transaction
 * carries them out before it appends its events, and the links after.
 * A command whose disk is known to be at the head of the log plans only
 * what changes; catch-up, replay and verify always compare with the disk.
 */
import { liveGenerations } from '../../domain/profile-state.js';
import type { Generation, ProfileState } from '../../domain/profile-state.js';
import { listNames } from '../../fsx/list-names.js';
import { readEntry } from '../../fsx/read-entry.js';
import type { FsOp } from '../../projection/fs-op.js';
import type { TreeProgress } from '../../store/tree-writer.js';
import { planLinkChanges } from '../../projection/link-changes.js';
import { planLinks } from '../../projection/link-plan.js';
import { profileLayout, profileLinks } from '../../projection/profile-layout.js';
import { isTempLinkName, isTempRootName } from '../../projection/temp-link-names.js';
import type { ProfileBuilder } from './profile-builder.js';
import type { ProfileLocation } from './profile-location.js';
import type { Session } from '../session/session-context.js';
import { autoRootsDir } from '../session/auto-roots.js';
import { applyLinks } from '../session/apply-links.js';
import { planNixProfileLinks } from '../session/nix-root-plan.js';

/**
 * `tempRoots` are the temporary GC roots a crashed switch left in the
 * home's auto roots (listTempRoots); a caller planning every profile lists
 * that directory, which holds a root per generation of every profile, once.
 */
export async function planProfile(session: Session, location: ProfileLocation, state: ProfileState, tempRoots: readonly string[] = listTempRoots(session)): Promise<FsOp[]> {
  const ops = await planBuilds(session, liveGenerations(state));
  const layout = profileLayout(state, location, autoRootsDir(session));
  const leftovers = [
    ...listNames(location.dir).filter((name) => isTempLinkName(name, location.base)).map((name) => `${location.dir}/${name}`),
    ...tempRoots,
  ];
  const links = session.store.kind === 'nix' ? await planNixProfileLinks(session.store, layout, readEntry) : planLinks(layout, readEntry);
  return [...ops, ...links, ...leftovers.map((path): FsOp => ({ op: 'unlink', path }))];
}

/**
 * The plan of one command that moves the profile from `before` to `after`
 * when the disk is known to hold `before` (`session.diskAtHead`): builds
 * for the generations it adds, and the links that change.
 */
export async function planProfileChange(session: Session, location: ProfileLocation, before: ProfileState, after: ProfileState): Promise<FsOp[]> {
  const present = new Set(liveGenerations(before).map((generation) => generation.profilePath));
  const ops = await planBuilds(session, liveGenerations(after).filter((generation) => !present.has(generation.profilePath)));
  return [...ops, ...planLinkChanges(profileLinks(before, location), profileLinks(after, location), autoRootsDir(session))];
}

async function planBuilds(session: Session, generations: readonly Generation[]): Promise<FsOp[]> {
  const ops: FsOp[] = [];
  const seen = new Set<string>();
  for (const generation of generations) {
    if (seen.has(generation.profilePath)) continue;
    seen.add(generation.profilePath);
    if (!(await session.store.isValid(generation.profilePath))) ops.push({ op: 'build', path: generation.profilePath });
  }
  return ops;
}

/** Reports the entries of a profile tree being written on the progress line, cleared once it is written: the command's report follows. */
export function writingTree(session: Pick<Session, 'progress'>): TreeProgress {
  return (done, total) => {
    session.progress.step('writing the profile tree', done, total);
    if (done === total) session.progress.clear();
  };
}

export function listTempRoots(session: Session): string[] {
  // Nix's gcroots/auto is written by Nix, never through genledger's temporary links.
  if (session.store.kind === 'nix') return [];
  const autoRoots = autoRootsDir(session);
  return listNames(autoRoots).filter(isTempRootName).map((name) => `${autoRoots}/${name}`);
}

export async function buildProfilePaths(session: Session, state: ProfileState, ops: readonly FsOp[], builder: ProfileBuilder): Promise<void> {
  for (const op of ops) {
    if (op.op !== 'build') continue;
    const generation = liveGenerations(state).find((g) => g.profilePath === op.path);
    if (generation === undefined) continue;
    await builder.materialise(op.path, generation.manifest, generation.manifestVersion, { pid: session.world.pid, now: session.world.now(), faults: session.faults, onEntries: writingTree(session) });
  }
}

/** Without an append in between, the built paths are registered (synced) here, before any link names them. */
export async function applyProfilePlan(session: Session, state: ProfileState, ops: readonly FsOp[], builder: ProfileBuilder): Promise<void> {
  await buildProfilePaths(session, state, ops, builder);
  await session.store.commit({ sync: true });
  await applyLinks(session, ops);
}
