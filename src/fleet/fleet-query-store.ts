/**
 * The fleet queries' SQL, over the derived tables of
 * migrations/fleet/0002-fleet-current.sql and the events themselves; each
 * read names the index it rides on. Times come back as ISO strings.
 */
import type { FleetConnection } from './fleet-connection.js';

export interface HostRow {
  readonly host: string;
  readonly firstPush: string;
  readonly lastPush: string;
  readonly streams: ReadonlyArray<{ stream: string; version: number; lastAt: string; lastType: string; profile: boolean; generation: number | null; since: string | null }>;
}

/** Every host with each of its streams' heads (fleet_hosts, fleet_streams' primary key). */
export async function readHosts(connection: FleetConnection): Promise<HostRow[]> {
  const result = await connection.query<HostRow>(
    `SELECT h.host, to_json(h.first_push) #>> '{}' AS "firstPush", to_json(h.last_push) #>> '{}' AS "lastPush",
            coalesce(json_agg(json_build_object('stream', s.stream, 'version', s.version, 'lastAt', s.last_at, 'lastType', s.last_type,
                     'profile', s.profile, 'generation', s.generation, 'since', s.since) ORDER BY s.stream) FILTER (WHERE s.stream IS NOT NULL), '[]') AS streams
       FROM fleet_hosts h LEFT JOIN fleet_streams s USING (host)
      GROUP BY h.host ORDER BY h.host`,
  );
  return result.rows;
}

export interface HoldingRow {
  readonly host: string;
  readonly profile: string;
  readonly generation: number;
  readonly since: string | null;
  readonly element: string;
  readonly name: string;
  readonly version: string;
  readonly storePath: string;
}

const holding = `SELECT p.host, p.stream AS profile, s.generation, to_json(s.since) #>> '{}' AS since, p.element, p.name, p.version, p.store_path AS "storePath"
                   FROM fleet_current_paths p JOIN fleet_streams s USING (host, stream)`;

/** Current generations holding a store path named NAME (and VERSION): fleet_current_paths_name. */
export async function readHoldersByName(connection: FleetConnection, name: string, version: string | null): Promise<HoldingRow[]> {
  const result = await connection.query<HoldingRow>(
    `${holding} WHERE p.name = $1 AND ($2::text IS NULL OR p.version = $2) ORDER BY p.host, p.stream, p.element, p.store_path`,
    [name, version],
  );
  return result.rows;
}

/** Current generations holding one store path: fleet_current_paths_path. */
export async function readHoldersByPath(connection: FleetConnection, storePath: string): Promise<HoldingRow[]> {
  const result = await connection.query<HoldingRow>(`${holding} WHERE p.store_path = $1 ORDER BY p.host, p.stream, p.element`, [storePath]);
  return result.rows;
}

export interface LogFilter {
  readonly host?: string;
  readonly user?: string;
  readonly packageName?: string;
  readonly type?: string;
  readonly since?: string;
  readonly until?: string;
  /** Only the newest N that pass (read newest first over the order index, so a busy filter stays cheap). */
  readonly newest?: number;
}

export interface LogRow {
  readonly host: string;
  readonly envelope: string;
}

/**
 * The events that pass the filter, in the fleet's late-commit-safe order
 * (txid, seq; only below the oldest running transaction, as
 * fleet-order-reader.ts explains). --package joins fleet_touches_name.
 */
export async function readFleetLog(connection: FleetConnection, filter: LogFilter): Promise<LogRow[]> {
  // Only the filters given become conditions, so the planner sees each index it can use.
  const values: unknown[] = [];
  const where = ['e.txid < pg_snapshot_xmin(pg_current_snapshot())'];
  const bind = (value: unknown) => `$${values.push(value)}`;
  if (filter.host !== undefined) where.push(`e.host = ${bind(filter.host)}`);
  if (filter.user !== undefined) where.push(`e.actor_user = ${bind(filter.user)}`);
  if (filter.type !== undefined) where.push(`e.type = ${bind(filter.type)}`);
  if (filter.since !== undefined) where.push(`e.at >= ${bind(filter.since)}::timestamptz`);
  if (filter.until !== undefined) where.push(`e.at <= ${bind(filter.until)}::timestamptz`);
  if (filter.packageName !== undefined) {
    where.push(`(e.host, e.stream, e.version) IN (SELECT t.host, t.stream, t.version FROM fleet_touches t WHERE t.name = ${bind(filter.packageName)})`);
  }
  const order = filter.newest === undefined ? 'ORDER BY e.txid, e.seq' : `ORDER BY e.txid DESC, e.seq DESC LIMIT ${bind(filter.newest)}`;
  const result = await connection.query<LogRow>(`SELECT e.host, e.envelope FROM fleet_events e WHERE ${where.join(' AND ')} ${order}`, values);
  return filter.newest === undefined ? result.rows : result.rows.reverse();
}

/** A profile's current elements on every host that holds a stream of that name (fleet_streams). */
export async function readProfiles(connection: FleetConnection, stream: string): Promise<Array<{ host: string; generation: number | null; elements: unknown[] }>> {
  const result = await connection.query<{ host: string; generation: number | null; elements: unknown[] }>(
    'SELECT host, generation, elements FROM fleet_streams WHERE stream = $1 AND profile ORDER BY host',
    [stream],
  );
  return result.rows;
}
