/**
 * Folds a profile stream into its state. Replay is exactly this fold over
 * the log: no catalog, no clock, no store is consulted.
 */
import { fold } from '../domain/profile-evolve.js';
import type { MetaEvent } from '../domain/profile-evolve.js';
import type { ProfileEvent } from '../domain/profile-events.js';
import { initialProfileState } from '../domain/profile-state.js';
import type { ProfileState } from '../domain/profile-state.js';
import type { StoredEvent } from '../ledger/event.js';
import type { Ledger } from '../ledger/ledger.js';

export function foldProfile(events: Iterable<StoredEvent>, from: ProfileState = initialProfileState): ProfileState {
  return fold(from, withMeta(events));
}

function* withMeta(events: Iterable<StoredEvent>): Iterable<MetaEvent> {
  for (const event of events) yield { event: event as unknown as ProfileEvent, meta: { at: event.at, version: event.version } };
}

export async function loadProfileState(ledger: Ledger, stream: string): Promise<ProfileState> {
  return foldProfile(await ledger.readStream(stream));
}
