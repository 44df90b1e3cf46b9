/**
 * `replay`: re-projects profiles from the log alone, at its head or as they
 * stood at a seq or time, into the live home or into another directory laid
 * out like a home. The same log always yields the same links, targets,
 * mtimes and profile store paths.
 */
import { stopPoint } from '../../interruption.js';
import { liveGenerations } from '../../domain/profile-state.js';
import { storePackageView } from '../../store/store-package-view.js';
import { ProfileBuilder } from '../profile/profile-builder.js';
import { locationOfStream } from '../profile/profile-location.js';
import { sessionProfile } from '../profile/session-profile.js';
import { replayProfileSwitches } from '../profile/nix-profile-switches.js';
import { applyProfilePlan, listTempRoots, planProfile } from '../profile/profile-projector.js';
import { viewProfile } from '../profile/profile-queries.js';
import type { LogPoint } from '../profile/profile-queries.js';
import { listProfileStreams } from '../profile/profile-streams.js';
import type { Session } from './session-context.js';
import { stateHomeAt } from './state-home.js';
import { clearCheckpoint } from './checkpoint.js';
import { writeSnapshot } from '../profile/profile-snapshot.js';
import { replaySystem } from '../system/system-replay.js';
import { finishInterruptedGc } from '../gc/interrupted-gc.js';
import { syncFileSystems } from '../../fsx/sync-file-system.js';
import type { SystemOp } from '../../projection/system-plan.js';

export interface ReplayResult {
  readonly profiles: ReadonlyArray<{ profile: string; generation: number | null; operations: number }>;
  /** Store paths live generations need that are not in the store: links can be made, but not work. */
  readonly missing: ReadonlyArray<{ profile: string; generation: number; path: string }>;
}

export interface ReplayOptions {
  readonly at?: LogPoint;
  readonly into?: string;
  readonly profile?: string;
  readonly dryRun: boolean;
}

export async function replay(session: Session, options: ReplayOptions): Promise<ReplayResult & { ops: SystemOp[] }> {
  const target = options.into === undefined ? session : { ...session, home: stateHomeAt(options.into) };
  if (!options.dryRun && session.store.kind === 'embedded') await finishInterruptedGc(session, session.store);
  const streams = options.profile === undefined ? await listProfileStreams(session.ledger) : [sessionProfile(session, options.profile).stream];
  const builder = new ProfileBuilder(session.store, storePackageView(session.store.location));
  const profiles = [];
  const allOps: SystemOp[] = [];
  const missing: Array<{ profile: string; generation: number; path: string }> = [];
  // Generations share profile paths, within and across profiles: each path's requisites are looked up once,
  // after the plan that builds it (if it can be built) has been carried out.
  const requisitesMissing = new Map<string, string[]>();
  // The first plan carried out removes the leftover temporary roots; a dry run plans them for every profile, as each would find them.
  let tempRoots = listTempRoots(target);
  for (const [index, stream] of streams.entries()) {
    await stopPoint(session.world.interruption);
    session.progress.step('replaying profiles', index, streams.length);
    const location = locationOfStream(target.home, stream);
    const { state } = await viewProfile(session.ledger, stream, options.at);
    const ops = await planProfile(target, location, state, tempRoots);
    if (!options.dryRun) {
      await applyProfilePlan(target, state, ops, builder);
      tempRoots = [];
    }
    const head = await session.ledger.head(stream);
    if (!options.dryRun && options.at === undefined && head !== null) await writeSnapshot(session.database, stream, head, state);
    allOps.push(...ops);
    profiles.push({ profile: stream, generation: state.current, operations: ops.length });
    for (const generation of liveGenerations(state)) {
      let paths = requisitesMissing.get(generation.profilePath);
      if (paths === undefined) {
        paths = await missingRequisites(session, generation.profilePath);
        requisitesMissing.set(generation.profilePath, paths);
      }
      for (const path of paths) missing.push({ profile: stream, generation: generation.number, path });
    }
  }
  if (options.profile === undefined) {
    if (options.into === undefined) allOps.push(...(await replayProfileSwitches(session, { dryRun: options.dryRun, ...(options.at === undefined ? {} : { at: options.at }) })));
    const system = await replaySystem(session, { dryRun: options.dryRun, ...(options.at === undefined ? {} : { at: options.at }), ...(options.into === undefined ? {} : { into: options.into }) });
    if (system !== null) {
      profiles.push({ profile: system.profile, generation: system.generation, operations: system.operations });
      allOps.push(...system.ops);
    }
  }
  return { profiles, ops: allOps, missing };
}

async function missingRequisites(session: Session, profilePath: string): Promise<string[]> {
  const info = await session.store.info(profilePath);
  if (info === null) return [profilePath];
  const missing: string[] = [];
  for (const reference of info.references) if (!(await session.store.isValid(reference))) missing.push(reference);
  return missing;
}

/**
 * The `replay` command. Time travel on the live home (`--at` without
 * `--into`) shows the past until the next command: the checkpoint is
 * cleared, so that command brings the disk back to the head of the log.
 * Replaying the head saves every profile's snapshot afresh from the fold
 * of its whole stream, so a damaged one cannot outlive a replay. The links
 * it repaired are synced before it reports them done.
 */
export async function replayCommand(session: Session, options: ReplayOptions): Promise<ReplayResult & { ops: SystemOp[] }> {
  const result = await replay(session, options);
  if (!options.dryRun && result.ops.length > 0) syncFileSystems([options.into ?? session.home.root]);
  if (options.at !== undefined && options.into === undefined && !options.dryRun) await clearCheckpoint(session.database);
  return result;
}
