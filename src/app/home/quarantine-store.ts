/**
 * Where quarantined events are kept (the `quarantine` sublevel, one entry
 * per event, keyed `<stream>!<version:16>`, holding the stored event
 * verbatim with why, when and by whom it was set aside), and the read-time
 * mask made from them: a quarantined event — that very event, bound by its
 * hash — reads as an `EventQuarantined` stand-in of the same version,
 * which every fold skips. See quarantine.ts for the command.
 */
import type { Database } from '../../ledger/database.js';
import type { StoredEvent } from '../../ledger/event.js';
import type { Upcast } from '../../ledger/upcasting.js';

export interface QuarantinedEvent {
  readonly stream: string;
  readonly version: number;
  readonly type: string;
  readonly hash: string;
  readonly rule: string;
  readonly quarantinedAt: string;
  readonly by: string;
  /** The stored event, verbatim. */
  readonly event: StoredEvent;
}

export function quarantineSpace(database: Database) {
  return database.db.sublevel<string, string>('quarantine', { valueEncoding: 'utf8' });
}

export async function listQuarantine(database: Database): Promise<QuarantinedEvent[]> {
  const found: QuarantinedEvent[] = [];
  for await (const text of quarantineSpace(database).values()) found.push(JSON.parse(text) as QuarantinedEvent);
  return found;
}

/** The read-time mask of a home's quarantine, or undefined when nothing is quarantined. */
export async function quarantineMask(database: Database): Promise<Upcast | undefined> {
  const entries = await listQuarantine(database);
  return entries.length === 0 ? undefined : maskOf(entries);
}

function maskOf(entries: readonly QuarantinedEvent[]): Upcast {
  const byPlace = new Map(entries.map((entry) => [`${entry.stream}!${entry.version}`, entry]));
  return (event) => {
    const entry = byPlace.get(`${event.stream}!${event.version}`);
    // Only the very event that was quarantined: the hash binds the entry to it.
    if (entry === undefined || entry.hash !== event.hash) return event;
    return { ...event, type: 'EventQuarantined', v: 1, data: { type: entry.type, hash: entry.hash, rule: entry.rule } };
  };
}
