/**
 * The fleet's derived tables (migrations/fleet/0002-fleet-current.sql):
 * which streams lag their events, a stream's envelopes, and replacing one
 * stream's rows. The rows are computed elsewhere (app/fleet/fleet-projection.ts).
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

/** Streams (of `host`, or of every host) whose derived rows are behind their events. */
export async function staleStreams(connection: FleetConnection, host: string | null): Promise<StreamKey[]> {
  const result = await connection.query<StreamKey>(
    `SELECT e.host, e.stream FROM (
       SELECT host, stream, max(version) AS version FROM fleet_events WHERE $1::text IS NULL OR host = $1 GROUP BY host, stream
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

export async function streamEnvelopes(connection: FleetConnection, key: StreamKey): Promise<string[]> {
  const result = await connection.query<{ envelope: string }>('SELECT envelope FROM fleet_events WHERE host = $1 AND stream = $2 ORDER BY version', [key.host, key.stream]);
  return result.rows.map((row) => row.envelope);
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

/** Replaces the derived rows of one stream (call inside a transaction). */
export async function writeProjection(connection: FleetConnection, stream: ProjectedStream): Promise<void> {
  const key = [stream.host, stream.stream];
  await connection.query('DELETE FROM fleet_streams WHERE host = $1 AND stream = $2', key);
  await connection.query(
    `INSERT INTO fleet_streams (host, stream, version, last_at, last_type, profile, generation, since, elements)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
    [...key, stream.version, stream.lastAt, stream.lastType, stream.profile, stream.generation, stream.since, stream.elements === null ? null : JSON.stringify(stream.elements)],
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
