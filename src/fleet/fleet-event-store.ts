/**
 * The fleet database's events of one origin host, as a pusher needs them:
 * where each stream stands (the resume point: highest version and its
 * hash), and appending a run of events verbatim. A batch is one statement
 * with three parameters however many rows: the indexed columns as one JSON
 * array (json_to_recordset), and the envelopes as one text, a line each
 * (canonical JSON holds no raw newline), which PostgreSQL splits far
 * faster than it parses them as JSON strings. node-postgres's encoding of
 * text arrays, the obvious way, cost more than the insert itself.
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
  const columns = events.map(({ event }, index) => ({
    i: index + 1,
    stream: event.stream,
    version: event.version,
    id: event.id,
    type: event.type,
    v: event.v,
    at: event.at,
    actor_user: event.actor.user,
    actor_host: event.actor.host,
    prev: event.prev,
    hash: event.hash,
    sig: event.sig ?? null,
  }));
  await connection.query(
    `INSERT INTO fleet_events (host, stream, version, id, type, v, at, actor_user, actor_host, prev, hash, sig, envelope)
     SELECT $1, r.stream, r.version, r.id, r.type, r.v, r.at, r.actor_user, r.actor_host, r.prev, r.hash, r.sig, e.envelope
       FROM json_to_recordset($2::json) AS r(i bigint, stream text, version integer, id text, type text, v integer, at timestamptz,
            actor_user text, actor_host text, prev text, hash text, sig text)
       JOIN unnest(string_to_array($3::text, E'\\n')) WITH ORDINALITY AS e(envelope, i) ON e.i = r.i
      ORDER BY r.i`,
    [host, JSON.stringify(columns), events.map(({ text }) => text).join('\n')],
  );
}
