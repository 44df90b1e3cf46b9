/**
 * `replay`: re-projects profiles from the log alone, at its head or as they
 * stood at a seq or time, into the live home or into another directory laid
 * out like a home. The same log always yields the same links, targets,
 * mtimes and profile store paths.
 */
import { storePackageView } from '../store/store-package-view.js';
import { ProfileBuilder } from './profile-builder.js';
import { locationOfStream, resolveProfile } from './profile-location.js';
import { applyProfilePlan, planProfile } from './profile-projector.js';
import { viewProfile } from './profile-queries.js';
import type { LogPoint } from './profile-queries.js';
import { listProfileStreams } from './profile-streams.js';
import type { Session } from './session.js';
import { stateHomeAt } from './state-home.js';
import { replaySystem } from './system-replay.js';
import type { SystemOp } from '../projection/system-plan.js';

export interface ReplayResult {
  readonly profiles: ReadonlyArray<{ profile: string; generation: number | null; operations: number }>;
}

export async function replay(session: Session, options: { at?: LogPoint; into?: string; profile?: string; dryRun: boolean }): Promise<ReplayResult & { ops: SystemOp[] }> {
  const target = options.into === undefined ? session : { ...session, home: stateHomeAt(options.into) };
  const streams = options.profile === undefined ? await listProfileStreams(session.ledger) : [resolveProfile(session.home, options.profile).stream];
  const builder = new ProfileBuilder(session.store, storePackageView(session.store.location));
  const profiles = [];
  const allOps: SystemOp[] = [];
  for (const stream of streams) {
    const location = locationOfStream(target.home, stream);
    const { state } = await viewProfile(session.ledger, stream, options.at);
    const ops = await planProfile(target, location, state);
    if (!options.dryRun) await applyProfilePlan(target, state, ops, builder);
    allOps.push(...ops);
    profiles.push({ profile: stream, generation: state.current, operations: ops.length });
  }
  if (options.profile === undefined) {
    const system = await replaySystem(session, { dryRun: options.dryRun, ...(options.at === undefined ? {} : { at: options.at }), ...(options.into === undefined ? {} : { into: options.into }) });
    if (system !== null) {
      profiles.push({ profile: system.profile, generation: system.generation, operations: system.operations });
      allOps.push(...system.ops);
    }
  }
  return { profiles, ops: allOps };
}
