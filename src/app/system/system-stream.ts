/**
 * The `system` stream: its name, and its fold into a SystemProfileState,
 * at the head of the log or as it stood at a seq or time. Replay is
 * exactly this fold: nothing is activated or decided again.
 */
import type { SystemEvent } from '../../domain/system-events.js';
import { evolveSystem, initialSystemProfileState } from '../../domain/system-profile.js';
import type { SystemProfileState } from '../../domain/system-profile.js';
import type { StoredEvent } from '../../ledger/event.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { LogPoint } from '../profile/profile-queries.js';

export const systemStream = 'system';

export function foldSystem(events: Iterable<StoredEvent>, from: SystemProfileState = initialSystemProfileState): SystemProfileState {
  let state = from;
  for (const event of events) state = evolveSystem(state, event as unknown as SystemEvent, { at: event.at, version: event.version });
  return state;
}

export async function loadSystemState(ledger: Ledger, at?: LogPoint): Promise<SystemProfileState> {
  if (at === undefined) return foldSystem(await ledger.readStream(systemStream));
  const events: StoredEvent[] = [];
  for await (const record of ledger.readLog('seq' in at ? { untilSeq: at.seq } : { until: at.time })) {
    if (record.event.stream === systemStream) events.push(record.event);
  }
  return foldSystem(events);
}
