/**
 * Folds a profile stream into its state. Replay is exactly this fold over
 * the log: no catalog, no clock, no store is consulted. Commands start from
 * the stream's snapshot and fold only what was appended since.
 */
import { fold } from '../../domain/profile-evolve.js';
import type { MetaEvent } from '../../domain/profile-evolve.js';
import type { ProfileEvent } from '../../domain/profile-events.js';
import { initialProfileState } from '../../domain/profile-state.js';
import type { ProfileState } from '../../domain/profile-state.js';
import type { Database } from '../../ledger/database.js';
import type { StoredEvent } from '../../ledger/event.js';
import type { Ledger } from '../../ledger/ledger.js';
import { readSnapshot, snapshotInterval, writeSnapshot } from './profile-snapshot.js';

export function foldProfile(events: Iterable<StoredEvent>, from: ProfileState = initialProfileState): ProfileState {
  return fold(from, withMeta(events));
}

function* withMeta(events: Iterable<StoredEvent>): Iterable<MetaEvent> {
  for (const event of events) yield { event: event as unknown as ProfileEvent, meta: { at: event.at, version: event.version } };
}

/** The state at the head of the stream, every event read and checked, no snapshot used. */
export async function foldWholeStream(ledger: Ledger, stream: string): Promise<ProfileState> {
  return foldProfile(await ledger.readStream(stream));
}

/**
 * The state at the head of the stream, from its snapshot plus the events
 * after it (each read and checked, and the first chained to the snapshot's
 * event). A command that had to fold many events saves a newer snapshot,
 * unless it must leave the home as it found it (`save: false`, dry runs).
 */
export async function loadProfileState({ ledger, database }: { ledger: Ledger; database: Database }, stream: string, { save } = { save: true }): Promise<ProfileState> {
  const head = await ledger.head(stream);
  const snapshot = await readSnapshot(database, stream, head);
  const events = await ledger.readStream(stream, snapshot === null ? 1 : snapshot.version + 1);
  if (snapshot !== null && events.length > 0 && events[0]?.prev !== snapshot.hash) return foldWholeStream(ledger, stream);
  const state = foldProfile(events, snapshot?.state);
  if (save && head !== null && events.length >= snapshotInterval) await writeSnapshot(database, stream, head, state);
  return state;
}
