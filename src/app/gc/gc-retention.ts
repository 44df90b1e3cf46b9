/**
 * `gc --keep N --keep-since D`: the retention policy applied to every
 * profile of the home, then the collection, in one session under one lock.
 * Each profile that loses generations records a GenerationsDeleted event
 * (spec: the policy's arguments), the collection its GarbageCollected
 * event; all carry the same command line and reason. Every profile is
 * checked for ownership before any is changed, so a refusal changes
 * nothing. The system profile, when the home has one, gets the same policy
 * as `system delete-generations --keep/--keep-since` (a
 * SystemGenerationsDeleted event; the boot default, booted and running
 * generations are kept).
 */
import { parseRetention } from '../../domain/retention-policy.js';
import { checkProfileOwner, locationOfStream } from '../profile/profile-location.js';
import { listProfileStreams } from '../profile/profile-streams.js';
import { changeProfile } from '../profile/profile-use-cases.js';
import type { Session } from '../session/session-context.js';
import { loadSystemState, systemStream } from '../system/system-stream.js';
import { runSystemCommand } from '../system/system-use-cases.js';

export interface RetentionApplied {
  readonly profile: string;
  /** Ascending; empty when the policy kept everything. */
  readonly deleted: readonly number[];
}

export async function applyRetentionToEveryProfile(session: Session, policyArgs: readonly string[]): Promise<RetentionApplied[]> {
  parseRetention(policyArgs);
  const locations = (await listProfileStreams(session.ledger)).map((stream) => locationOfStream(session.home, stream));
  for (const location of locations) checkProfileOwner(location, session.world.actor, session.nix?.stateDir ?? null);
  const applied: RetentionApplied[] = [];
  for (const location of locations) {
    const outcome = await changeProfile(session, location, { kind: 'delete-generations', spec: policyArgs }, { dryRun: false });
    const deleted = outcome.events.flatMap((event) => (event.type === 'GenerationsDeleted' ? (event.data as { generations: number[] }).generations : []));
    applied.push({ profile: location.stream, deleted });
  }
  const system = await loadSystemState(session.ledger);
  if (system.exists) {
    const { after } = await runSystemCommand(session, { kind: 'delete-generations', spec: policyArgs }, { dryRun: false, activate: false });
    applied.push({ profile: systemStream, deleted: after.deletedGenerations.filter((number) => !system.deletedGenerations.includes(number)) });
  }
  return applied;
}
