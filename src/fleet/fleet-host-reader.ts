/**
 * One origin host's events in the fleet database, as `fleet pull` needs
 * them: whether the host ever pushed (and when last), and its streams'
 * rows in chain order (stream, version) over the unique index, with the
 * columns `fleet verify`'s chain check reads.
 */
import type { FleetChainRow } from './fleet-chain-reader.js';
import type { FleetConnection } from './fleet-connection.js';

/** When `host` last pushed, as an ISO time, or null when it never did. */
export async function fleetHostLastPush(connection: FleetConnection, host: string): Promise<string | null> {
  const result = await connection.query<{ last_push: Date }>('SELECT last_push FROM fleet_hosts WHERE host = $1', [host]);
  return result.rows[0]?.last_push.toISOString() ?? null;
}

/** The host's events of `streams` (every stream when null), ordered by stream and version. */
export async function readHostRows(connection: FleetConnection, host: string, streams: readonly string[] | null): Promise<FleetChainRow[]> {
  const result = await connection.query<FleetChainRow>(
    `SELECT host, stream, version, id, prev, hash, sig, envelope, txid::text AS txid, seq::text AS seq FROM fleet_events
      WHERE host = $1 AND ($2::text[] IS NULL OR stream = ANY($2::text[]))
      ORDER BY stream, version`,
    [host, streams],
  );
  return result.rows;
}
