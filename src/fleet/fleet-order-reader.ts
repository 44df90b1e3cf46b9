/**
 * The fleet's global order, for readers that follow it page by page.
 *
 * `seq` alone is not a safe cursor: sequence numbers are drawn at insert,
 * not at commit, so a pusher's transaction can commit seq 6 after another
 * committed seq 7, and a reader that had moved past 7 would never see 6.
 * Each row also records its transaction (`txid`). Every transaction that
 * can still commit has a txid at or above the oldest one running
 * (`pg_snapshot_xmin`), and so does every later one; rows below it are
 * final. So the order is (txid, seq), and a page holds only rows below
 * that bound: nothing can ever appear behind a cursor.
 */
import type { FleetConnection } from './fleet-connection.js';

/** Where a reader stands: after the row (txid, seq). Both are decimal strings (xid8 and bigint exceed 2^53). */
export interface FleetCursor {
  readonly txid: string;
  readonly seq: string;
}

export const fleetStart: FleetCursor = { txid: '0', seq: '0' };

export interface FleetOrderRow {
  readonly cursor: FleetCursor;
  readonly host: string;
  readonly stream: string;
  readonly version: number;
  readonly envelope: string;
}

/** Up to `limit` events after `after`, in the fleet's order, none of which a later commit can precede. */
export async function readFleetOrder(connection: FleetConnection, after: FleetCursor, limit: number): Promise<FleetOrderRow[]> {
  const result = await connection.query<{ txid: string; seq: string; host: string; stream: string; version: number; envelope: string }>(
    `SELECT txid::text AS txid, seq::text AS seq, host, stream, version, envelope FROM fleet_events
      WHERE (txid, seq) > ($1::xid8, $2::bigint) AND txid < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY txid, seq LIMIT $3`,
    [after.txid, after.seq, limit],
  );
  return result.rows.map(({ txid, seq, host, stream, version, envelope }) => ({ cursor: { txid, seq }, host, stream, version, envelope }));
}
