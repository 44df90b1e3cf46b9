/**
 * Gathers the data model of `genledger report` (projection/timeline-model.ts)
 * from a home: every profile's generations with the event that made each,
 * the rollbacks, switches and deletions of its stream, and the system
 * profile's generations with its current, booted and running markers.
 * Closure sizes and diffs are those of `profile diff` (generation-closure.ts,
 * closure-diff.ts) as the store holds the closures now. Nothing here writes.
 */
import type { ProfileEvent } from '../../domain/profile-events.js';
import type { SystemEvent } from '../../domain/system-events.js';
import type { StoredEvent } from '../../ledger/event.js';
import { diffClosures } from '../../projection/closure-diff.js';
import type { ClosureSide } from '../../projection/closure-diff.js';
import type { TimelineGeneration, TimelineLane, TimelineMark, TimelineProvenance, TimelineReport } from '../../projection/timeline-model.js';
import type { StoreCore } from '../../store/store.js';
import { generationClosure } from '../profile/generation-closure.js';
import { viewProfile } from '../profile/profile-queries.js';
import type { Provenance } from '../profile/profile-queries.js';
import { listProfileStreams } from '../profile/profile-streams.js';
import type { Session } from '../session/session-context.js';
import { loadSystemState, systemStream } from '../system/system-stream.js';

export async function gatherTimeline(session: Session): Promise<TimelineReport> {
  const lanes: TimelineLane[] = [];
  for (const stream of await listProfileStreams(session.ledger)) lanes.push(await profileLane(session, stream));
  const system = await systemLane(session);
  if (system !== null) lanes.push(system);
  return { home: session.home.root, lanes };
}

async function profileLane(session: Session, stream: string): Promise<TimelineLane> {
  const { state, createdBy } = await viewProfile(session.ledger, stream);
  const ordered = Object.values(state.generations).sort((a, b) => a.number - b.number);
  const sides: ClosureSide[] = [];
  for (const generation of ordered) sides.push(await generationClosure(session.store, generation));
  const generations = ordered.map((generation, index) => {
    const made = createdBy.get(generation.number);
    return timelineGeneration(generation.number, generation.createdAt, sides, index, {
      deleted: generation.deleted,
      current: generation.number === state.current,
      booted: false,
      running: false,
      madeBy: made === undefined ? null : provenanceOf(made),
      previous: ordered[index - 1]?.number,
    });
  });
  return { profile: stream, kind: 'profile', current: state.current, generations, marks: profileMarks(await session.ledger.readStream(stream)) };
}

async function systemLane(session: Session): Promise<TimelineLane | null> {
  const events = await session.ledger.readStream(systemStream);
  if (events.length === 0) return null;
  const state = await loadSystemState(session.ledger);
  const { bootDefault, booted, running } = state.machine;
  const madeBy = new Map<number, TimelineProvenance>();
  const marks: TimelineMark[] = [];
  for (const event of events) {
    const domainEvent = event as unknown as SystemEvent;
    if (domainEvent.type !== 'SystemProfileSet') continue;
    if (domainEvent.data.created) madeBy.set(domainEvent.data.generation, provenanceOf(event));
    if (domainEvent.data.how === 'rollback') marks.push(mark(event, 'rollback', { from: domainEvent.data.from, to: domainEvent.data.generation }));
  }
  const ordered = Object.values(state.generations).sort((a, b) => a.number - b.number);
  const sides: ClosureSide[] = [];
  for (const generation of ordered) sides.push(await systemClosure(session.store, generation.systemPath));
  const generations = ordered.map((generation, index) =>
    timelineGeneration(generation.number, generation.createdAt, sides, index, {
      deleted: false,
      current: generation.number === bootDefault,
      booted: generation.number === booted,
      running: running?.kind === 'generation' && running.generation === generation.number,
      madeBy: madeBy.get(generation.number) ?? null,
      previous: ordered[index - 1]?.number,
    }),
  );
  return { profile: systemStream, kind: 'system', current: bootDefault, generations, marks };
}

interface GenerationFlags {
  readonly deleted: boolean;
  readonly current: boolean;
  readonly booted: boolean;
  readonly running: boolean;
  readonly madeBy: TimelineProvenance | null;
  /** The generation numbered just below, whose closure the diff starts from. */
  readonly previous: number | undefined;
}

function timelineGeneration(number: number, createdAt: string, sides: readonly ClosureSide[], index: number, flags: GenerationFlags): TimelineGeneration {
  const side = sides[index] as ClosureSide;
  // Sized as closure diffs size a side, so a generation's size and its diff's `to` always agree.
  const own = diffClosures({ paths: [], direct: [] }, side).size;
  const { previous, ...markers } = flags;
  const before = sides[index - 1];
  return {
    generation: number,
    createdAt,
    ...markers,
    closureSize: { bytes: own.to, exact: own.exact },
    diff: previous === undefined || before === undefined ? null : { against: previous, ...diffClosures(before, side) },
  };
}

/** A system generation's closure: its system path's, when the store still holds it. */
async function systemClosure(store: StoreCore, systemPath: string): Promise<ClosureSide> {
  if (!(await store.isValid(systemPath))) return { paths: [], direct: [] };
  const paths = [];
  for (const path of await store.closure([systemPath])) paths.push({ path, narSize: (await store.requireInfo(path)).narSize });
  return { paths, direct: [] };
}

function profileMarks(events: readonly StoredEvent[]): TimelineMark[] {
  const marks: TimelineMark[] = [];
  for (const event of events) {
    const domainEvent = event as unknown as ProfileEvent;
    if (domainEvent.type === 'GenerationSwitched') marks.push(mark(event, domainEvent.data.how, { from: domainEvent.data.from, to: domainEvent.data.to }));
    if (domainEvent.type === 'GenerationsDeleted') marks.push(mark(event, 'deleted', { generations: domainEvent.data.generations }));
    if (domainEvent.type === 'HistoryWiped') marks.push(mark(event, 'wiped', { generations: domainEvent.data.generations }));
    if (domainEvent.type === 'ExternalChangeObserved' && domainEvent.data.deleted.length > 0) marks.push(mark(event, 'deleted', { generations: domainEvent.data.deleted }));
  }
  return marks;
}

function mark(event: StoredEvent, kind: TimelineMark['kind'], facts: { from?: number | null; to?: number; generations?: readonly number[] }): TimelineMark {
  return { kind, at: event.at, from: facts.from ?? null, to: facts.to ?? null, generations: facts.generations ?? [], actor: event.actor, reason: event.reason ?? null };
}

function provenanceOf(made: Provenance | StoredEvent): TimelineProvenance {
  const eventType = 'eventType' in made ? made.eventType : made.type;
  return { eventType, at: made.at, actor: made.actor, command: made.command ?? null, reason: made.reason ?? null };
}
