/**
 * Every event the fleet database holds, walked chain by chain (host,
 * stream, version) in pages over the unique index, so `fleet verify`
 * runs in constant memory however large the fleet.
 */
import type { FleetConnection } from './fleet-connection.js';

export interface FleetChainRow {
  readonly host: string;
  readonly stream: string;
  readonly version: number;
  readonly id: string;
  readonly prev: string | null;
  readonly hash: string;
  readonly sig: string | null;
  readonly envelope: string;
  /** The writing transaction and sequence number, decimal. */
  readonly txid: string;
  readonly seq: string;
}

export async function* readFleetChains(connection: FleetConnection, pageSize = 10_000): AsyncGenerator<FleetChainRow> {
  let after: readonly [string, string, number] = ['', '', 0];
  for (;;) {
    const page = await connection.query<FleetChainRow>(
      `SELECT host, stream, version, id, prev, hash, sig, envelope, txid::text AS txid, seq::text AS seq FROM fleet_events
        WHERE (host, stream, version) > ($1, $2, $3) ORDER BY host, stream, version LIMIT $4`,
      [...after, pageSize],
    );
    yield* page.rows;
    const last = page.rows[page.rows.length - 1];
    if (last === undefined || page.rows.length < pageSize) return;
    after = [last.host, last.stream, last.version];
  }
}
