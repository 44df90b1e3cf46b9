/**
 * The fleet's derived tables (migrations/fleet/0002-fleet-current.sql) and
 * each stream's stored fold (0003): which streams lag their events, a
 * stream's envelopes, and writing one stream's rows, either all of them
 * again or on from the version its stored fold stood at. The rows are
 * computed elsewhere (app/fleet/fleet-projection.ts).
 */
import type { FleetConnection } from './fleet-connection.js';

export interface StreamKey {
  readonly host: string;
  readonly stream: string;
}

export interface ProjectedStream extends StreamKey {
  readonly version: number;
  readonly lastAt: string;
  readonly lastType: string;
  readonly profile: boolean;
  readonly generation: number | null;
  readonly since: string | null;
  readonly elements: readonly unknown[] | null;
  readonly paths: ReadonlyArray<{ readonly element: string; readonly name: string; readonly version: string; readonly storePath: string }>;
  readonly touches: ReadonlyArray<{ readonly version: number; readonly name: string; readonly change: string; readonly generation: number }>;
}

/** A stream whose rows lag: its events' highest version and that event's hash. */
export interface StaleStream extends StreamKey {
  readonly version: number;
  readonly hash: string;
}

/** Streams (of `host`, or of every host) whose derived rows are behind their events. */
export async function staleStreams(connection: FleetConnection, host: string | null): Promise<StaleStream[]> {
  const result = await connection.query<StaleStream>(
    `SELECT e.host, e.stream, e.version, e.hash FROM (
       SELECT DISTINCT ON (host, stream) host, stream, version, hash FROM fleet_events
        WHERE $1::text IS NULL OR host = $1 ORDER BY host, stream, version DESC
     ) e LEFT JOIN fleet_streams s USING (host, stream)
     WHERE s.version IS DISTINCT FROM e.version ORDER BY e.host, e.stream`,
    [host],
  );
  return result.rows;
}

/** Every (host, stream) the events hold, in order. */
export async function allStreams(connection: FleetConnection): Promise<StreamKey[]> {
  return (await connection.query<StreamKey>('SELECT DISTINCT host, stream FROM fleet_events ORDER BY host, stream')).rows;
}

/** The stream's envelopes after version `after` (0: all), in order. */
export async function streamEnvelopes(connection: FleetConnection, key: StreamKey, after = 0): Promise<string[]> {
  const result = await connection.query<{ envelope: string }>('SELECT envelope FROM fleet_events WHERE host = $1 AND stream = $2 AND version > $3 ORDER BY version', [key.host, key.stream, after]);
  return result.rows.map((row) => row.envelope);
}

/** The stream's stored fold (JSON, parsed), or null when none is stored. */
export async function readFold(connection: FleetConnection, key: StreamKey): Promise<unknown> {
  const result = await connection.query<{ fold: string | null }>('SELECT fold FROM fleet_streams WHERE host = $1 AND stream = $2', [key.host, key.stream]);
  const text = result.rows[0]?.fold ?? null;
  return text === null ? null : (JSON.parse(text) as unknown);
}

/** The stored rows of one stream, in the shape `writeProjection` takes (for `fleet verify`). */
export async function readProjection(connection: FleetConnection, key: StreamKey): Promise<ProjectedStream | null> {
  const streams = await connection.query<{ version: number; last_at: Date; last_type: string; profile: boolean; generation: number | null; since: Date | null; elements: unknown[] | null }>(
    'SELECT version, last_at, last_type, profile, generation, since, elements FROM fleet_streams WHERE host = $1 AND stream = $2',
    [key.host, key.stream],
  );
  const row = streams.rows[0];
  if (row === undefined) return null;
  const paths = await connection.query<{ element: string; name: string; version: string; storePath: string }>(
    'SELECT element, name, version, store_path AS "storePath" FROM fleet_current_paths WHERE host = $1 AND stream = $2 ORDER BY element, store_path',
    [key.host, key.stream],
  );
  const touches = await connection.query<{ version: number; name: string; change: string; generation: number }>(
    'SELECT version, name, change, generation FROM fleet_touches WHERE host = $1 AND stream = $2 ORDER BY version, generation, name, change',
    [key.host, key.stream],
  );
  return {
    ...key,
    version: row.version,
    lastAt: row.last_at.toISOString(),
    lastType: row.last_type,
    profile: row.profile,
    generation: row.generation,
    since: row.since?.toISOString() ?? null,
    elements: row.elements,
    paths: paths.rows,
    touches: touches.rows,
  };
}

/**
 * Writes the derived rows of one stream and its fold (call inside a
 * transaction). `after` null: the rows are replaced, `stream.touches` being
 * all of them; else they go on from version `after`: the stream's row and
 * current paths are replaced, its touches past `after` (none, unless a
 * write was lost) make way for `stream.touches`.
 */
export async function writeProjection(connection: FleetConnection, stream: ProjectedStream, fold: unknown, after: number | null): Promise<void> {
  const key = [stream.host, stream.stream];
  if (after === null) await connection.query('DELETE FROM fleet_streams WHERE host = $1 AND stream = $2', key);
  else {
    await connection.query('DELETE FROM fleet_current_paths WHERE host = $1 AND stream = $2', key);
    await connection.query('DELETE FROM fleet_touches WHERE host = $1 AND stream = $2 AND version > $3', [...key, after]);
  }
  await connection.query(
    `INSERT INTO fleet_streams (host, stream, version, last_at, last_type, profile, generation, since, elements, fold)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)
     ON CONFLICT (host, stream) DO UPDATE SET version = EXCLUDED.version, last_at = EXCLUDED.last_at, last_type = EXCLUDED.last_type,
       profile = EXCLUDED.profile, generation = EXCLUDED.generation, since = EXCLUDED.since, elements = EXCLUDED.elements, fold = EXCLUDED.fold`,
    [...key, stream.version, stream.lastAt, stream.lastType, stream.profile, stream.generation, stream.since, stream.elements === null ? null : JSON.stringify(stream.elements), JSON.stringify(fold)],
  );
  if (stream.paths.length > 0) {
    await connection.query(
      `INSERT INTO fleet_current_paths (host, stream, element, name, version, store_path)
       SELECT $1, $2, r.element, r.name, r.version, r.store_path FROM json_to_recordset($3::json) AS r(element text, name text, version text, store_path text)`,
      [...key, JSON.stringify(stream.paths.map((path) => ({ element: path.element, name: path.name, version: path.version, store_path: path.storePath })))],
    );
  }
  if (stream.touches.length > 0) {
    await connection.query(
      `INSERT INTO fleet_touches (host, stream, version, name, change, generation)
       SELECT $1, $2, r.version, r.name, r.change, r.generation FROM json_to_recordset($3::json) AS r(version integer, name text, change text, generation integer)`,
      [...key, JSON.stringify(stream.touches)],
    );
  }
}
