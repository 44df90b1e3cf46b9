/**
 * The fleet's global order is safe for readers that page through it: an
 * event whose transaction commits late (it drew its seq before a faster
 * pusher's events) appears neither too early nor behind a reader's cursor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFleet } from '../../src/fleet/fleet-connection.js';
import type { FleetConnection } from '../../src/fleet/fleet-connection.js';
import { fleetStart, readFleetOrder } from '../../src/fleet/fleet-order-reader.js';
import type { FleetCursor, FleetOrderRow } from '../../src/fleet/fleet-order-reader.js';
import { migrateFleet } from '../../src/fleet/fleet-schema.js';
import { parseFleetUrl } from '../../src/fleet/fleet-url.js';
import { postgresMissing, startCluster } from './postgres-cluster.js';
import type { PostgresCluster } from './postgres-cluster.js';

if (postgresMissing !== null) console.warn(`skipping the fleet order tests: ${postgresMissing}`);

describe.skipIf(postgresMissing !== null)('the fleet order reader', () => {
  let cluster: PostgresCluster;
  const open: FleetConnection[] = [];
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    for (const connection of open) await connection.close();
    cluster?.stop();
  });

  async function connect(url: string): Promise<FleetConnection> {
    const connection = await connectFleet(parseFleetUrl(url));
    open.push(connection);
    return connection;
  }

  /** Inserts version 1 of a new stream of host h (the chain guard lets a first version in alone). */
  const insert = (connection: FleetConnection, stream: string) =>
    connection.query(
      `INSERT INTO fleet_events (host, stream, version, id, type, v, at, actor_user, actor_host, prev, hash, sig, envelope)
       VALUES ('h', $1, 1, $1, 'T', 1, now(), 'u', 'h', NULL, repeat('0', 64), NULL, '{}')`,
      [stream],
    );

  async function readAll(reader: FleetConnection, from: FleetCursor): Promise<{ rows: FleetOrderRow[]; cursor: FleetCursor }> {
    const rows: FleetOrderRow[] = [];
    let cursor = from;
    for (let page = await readFleetOrder(reader, cursor, 1); page.length > 0; page = await readFleetOrder(reader, cursor, 1)) {
      rows.push(...page);
      cursor = page[page.length - 1]?.cursor ?? cursor;
    }
    return { rows, cursor };
  }

  it('holds back what follows a transaction still open, and delivers everything once it commits', async () => {
    const url = await cluster.database();
    const admin = await connect(url);
    await migrateFleet(admin);
    await admin.query("INSERT INTO fleet_hosts (host) VALUES ('h')");
    await insert(admin, 'before');

    const slow = await connect(url);
    const fast = await connect(url);
    const reader = await connect(url);
    await slow.query('BEGIN');
    await slow.query('SELECT pg_current_xact_id()');
    await insert(slow, 'late');
    await insert(fast, 'early');

    const first = await readAll(reader, fleetStart);
    expect(first.rows.map((row) => row.stream)).toEqual(['before']);

    await slow.query('COMMIT');
    const second = await readAll(reader, first.cursor);
    expect(second.rows.map((row) => row.stream)).toEqual(['late', 'early']);
  });

  it('never skips an event whose seq is lower than one already read (seq drawn before, committed after)', async () => {
    const url = await cluster.database();
    const admin = await connect(url);
    await migrateFleet(admin);
    await admin.query("INSERT INTO fleet_hosts (host) VALUES ('h')");

    const older = await connect(url);
    const younger = await connect(url);
    const reader = await connect(url);
    // The older transaction takes its txid first; the younger one draws the lower seq and stays open.
    await older.query('BEGIN');
    await older.query('SELECT pg_current_xact_id()');
    await younger.query('BEGIN');
    await insert(younger, 'lower-seq');
    await insert(older, 'higher-seq');
    await older.query('COMMIT');

    const first = await readAll(reader, fleetStart);
    expect(first.rows.map((row) => row.stream)).toEqual(['higher-seq']);

    await younger.query('COMMIT');
    const all = await cluster.sql<{ stream: string }>(url, 'SELECT stream FROM fleet_events ORDER BY seq');
    expect(all.map((row) => row.stream)).toEqual(['lower-seq', 'higher-seq']);
    const second = await readAll(reader, first.cursor);
    expect(second.rows.map((row) => row.stream)).toEqual(['lower-seq']);
  });
});
