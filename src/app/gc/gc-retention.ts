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
 * generations are kept). A dry run decides the same and writes nothing;
 * either way the generation links the policy removes are returned, so the
 * collection (or its preview) knows which roots go.
 */
import { parseRetention } from '../../domain/retention-policy.js';
import { checkProfileOwner, locationOfStream } from '../profile/profile-location.js';
import { listProfileStreams } from '../profile/profile-streams.js';
import { changeProfile } from '../profile/profile-use-cases.js';
import type { Session } from '../session/session-context.js';
import type { SystemOp } from '../../projection/system-plan.js';
import { loadSystemState, systemStream } from '../system/system-stream.js';
import { runSystemCommand } from '../system/system-use-cases.js';

export interface RetentionApplied {
  readonly profile: string;
  /** Ascending; empty when the policy kept everything. */
  readonly deleted: readonly number[];
}

export interface RetentionOutcome {
  readonly applied: readonly RetentionApplied[];
  /** The generation links removed (or, in a dry run, that would be): the GC roots that go with the generations. */
  readonly removedLinks: ReadonlySet<string>;
}

export async function applyRetentionToEveryProfile(session: Session, policyArgs: readonly string[], options: { readonly dryRun: boolean }): Promise<RetentionOutcome> {
  parseRetention(policyArgs);
  const locations = (await listProfileStreams(session.ledger)).map((stream) => locationOfStream(session.home, stream));
  for (const location of locations) checkProfileOwner(location, session.world.actor, session.nix?.stateDir ?? null);
  const applied: RetentionApplied[] = [];
  const removedLinks = new Set<string>();
  const unlinked = (ops: readonly SystemOp[]) => {
    for (const op of ops) if (op.op === 'unlink') removedLinks.add(op.path);
  };
  for (const location of locations) {
    const outcome = await changeProfile(session, location, { kind: 'delete-generations', spec: policyArgs }, { dryRun: options.dryRun });
    const deleted = outcome.events.flatMap((event) => (event.type === 'GenerationsDeleted' ? (event.data as { generations: number[] }).generations : []));
    applied.push({ profile: location.stream, deleted });
    unlinked(outcome.ops);
  }
  const system = await loadSystemState(session.ledger);
  if (system.exists) {
    const { after, ops } = await runSystemCommand(session, { kind: 'delete-generations', spec: policyArgs }, { dryRun: options.dryRun, activate: false });
    applied.push({ profile: systemStream, deleted: after.deletedGenerations.filter((number) => !system.deletedGenerations.includes(number)) });
    unlinked(ops);
  }
  return { applied, removedLinks };
}
