/**
 * The read side of profiles: folded state with the provenance of every
 * generation (which event made it, who, when, why), at the head of the log
 * or as of a past seq or time. Nothing here writes.
 */
import type { ProfileEvent } from '../../domain/profile-events.js';
import { hasGenerationFacts } from '../../domain/profile-events.js';
import type { ProfileState } from '../../domain/profile-state.js';
import { usageError } from '../../errors.js';
import type { StoredEvent } from '../../ledger/event.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { Database } from '../../ledger/database.js';
import { foldProfile, loadProfileState } from './profile-stream.js';

export interface Provenance {
  readonly eventType: string;
  readonly at: string;
  readonly actor: StoredEvent['actor'];
  readonly command?: readonly string[];
  readonly reason?: string;
}

export interface ProfileView {
  readonly state: ProfileState;
  /** The event that created each generation. */
  readonly createdBy: ReadonlyMap<number, Provenance>;
}

/** A point in the log: a seq number or an ISO-8601 time. */
export type LogPoint = { readonly seq: number } | { readonly time: string };

export function parseLogPoint(text: string): LogPoint {
  if (/^\d+$/.test(text)) return { seq: Number(text) };
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw usageError('GENLEDGER_BAD_AT', `'${text}' is neither a log seq nor a time`, 'give a seq number like 42 or a time like 2026-11-23T10:00:00Z');
  return { time: new Date(time).toISOString() };
}

/** The profile's state now (from its snapshot), or as it stood at a point of the log. */
export async function profileStateAt(session: { ledger: Ledger; database: Database }, stream: string, at?: LogPoint): Promise<ProfileState> {
  return at === undefined ? loadProfileState(session, stream) : foldProfile(await streamEventsAt(session.ledger, stream, at));
}

export async function viewProfile(ledger: Ledger, stream: string, at?: LogPoint): Promise<ProfileView> {
  const events = at === undefined ? await ledger.readStream(stream) : await streamEventsAt(ledger, stream, at);
  const createdBy = new Map<number, Provenance>();
  for (const event of events) {
    const domainEvent = event as unknown as ProfileEvent;
    if (hasGenerationFacts(domainEvent) && domainEvent.data.created) createdBy.set(domainEvent.data.generation, provenance(event));
    if (domainEvent.type === 'GenerationSwitched' && domainEvent.data.emptyGeneration !== undefined) createdBy.set(0, provenance(event));
    if (domainEvent.type === 'GenerationImported') createdBy.set(domainEvent.data.generation, provenance(event));
    if (domainEvent.type === 'ExternalChangeObserved') for (const observed of domainEvent.data.generations) createdBy.set(observed.generation, provenance(event));
  }
  return { state: foldProfile(events), createdBy };
}

async function streamEventsAt(ledger: Ledger, stream: string, at: LogPoint): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  const options = 'seq' in at ? { untilSeq: at.seq } : { until: at.time };
  for await (const record of ledger.readLog(options)) if (record.event.stream === stream) events.push(record.event);
  return events;
}

function provenance(event: StoredEvent): Provenance {
  return {
    eventType: event.type,
    at: event.at,
    actor: event.actor,
    ...(event.command === undefined ? {} : { command: event.command }),
    ...(event.reason === undefined ? {} : { reason: event.reason }),
  };
}
