/**
 * The fleet database's events of one origin host, as a pusher needs them:
 * where each stream stands (the resume point: highest version and its
 * hash), and appending a run of events verbatim. Rows go in as arrays
 * (one `unnest` per column), so a batch of thousands is one statement
 * with a fixed number of parameters.
 */
import type { StoredEvent } from '../ledger/event.js';
import type { FleetConnection } from './fleet-connection.js';

export interface FleetHead {
  readonly version: number;
  readonly hash: string;
}

/** An event to append: parsed, and its text exactly as the origin's ledger stores it. */
export interface OutgoingEvent {
  readonly event: StoredEvent;
  readonly text: string;
}

/** Per stream, the highest version the fleet holds from `host` and its hash; `streams` narrows the look-up. */
export async function fleetHeads(connection: FleetConnection, host: string, streams?: readonly string[]): Promise<Map<string, FleetHead>> {
  const result = await connection.query<{ stream: string; version: number; hash: string }>(
    `SELECT DISTINCT ON (stream) stream, version, hash FROM fleet_events
      WHERE host = $1 AND ($2::text[] IS NULL OR stream = ANY($2::text[]))
      ORDER BY stream, version DESC`,
    [host, streams ?? null],
  );
  return new Map(result.rows.map((row) => [row.stream, { version: row.version, hash: row.hash }]));
}

/**
 * Serialises pushers of one host for the rest of the transaction: a second
 * pusher waits, then sees what the first committed and skips it.
 */
export async function lockHost(connection: FleetConnection, host: string): Promise<void> {
  await connection.query("SELECT pg_advisory_xact_lock(hashtextextended('genledger fleet host ' || $1, 0))", [host]);
}

/** Appends `events` (in stream order) and records the push in fleet_hosts. */
export async function insertEvents(connection: FleetConnection, host: string, events: readonly OutgoingEvent[]): Promise<void> {
  await connection.query(
    `INSERT INTO fleet_hosts (host) VALUES ($1) ON CONFLICT (host) DO UPDATE SET last_push = now()`,
    [host],
  );
  if (events.length === 0) return;
  const column = <T>(pick: (event: StoredEvent) => T): T[] => events.map(({ event }) => pick(event));
  await connection.query(
    `INSERT INTO fleet_events (host, stream, version, id, type, v, at, actor_user, actor_host, prev, hash, sig, envelope)
     SELECT $1, * FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::int[], $7::timestamptz[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])`,
    [
      host,
      column((event) => event.stream),
      column((event) => event.version),
      column((event) => event.id),
      column((event) => event.type),
      column((event) => event.v),
      column((event) => event.at),
      column((event) => event.actor.user),
      column((event) => event.actor.host),
      column((event) => event.prev),
      column((event) => event.hash),
      column((event) => event.sig ?? null),
      events.map(({ text }) => text),
    ],
  );
}
