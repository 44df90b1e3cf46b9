/**
 * One connection to the fleet database (node-postgres), the only module
 * that opens one; every failure, connecting or querying, comes out as a
 * one-line GenledgerError (fleet-failure.ts). open-fleet.ts adds the
 * schema check every command but `fleet init` needs.
 */
import pg from 'pg';
import { connectFailure, queryFailure } from './fleet-failure.js';
import type { FleetUrl } from './fleet-url.js';

export interface FleetConnection {
  readonly url: FleetUrl;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: readonly unknown[]): Promise<pg.QueryResult<R>>;
  /** Runs `work` in one transaction: committed when it returns, rolled back when it throws. */
  transaction<T>(work: (connection: FleetConnection) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function connectFleet(url: FleetUrl): Promise<FleetConnection> {
  const client = new pg.Client({ connectionString: url.text, connectionTimeoutMillis: 15_000, application_name: 'genledger' });
  // A dropped connection is also emitted as an event; the pending query rejects with it, which is where it is handled.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectFailure(error, url.redacted);
  }
  return wrap(client, url);
}

function wrap(client: pg.Client, url: FleetUrl): FleetConnection {
  const connection: FleetConnection = {
    url,
    async query(sql, values) {
      try {
        return await client.query(sql, values as unknown[] | undefined);
      } catch (error) {
        throw queryFailure(error, url.redacted);
      }
    },
    async transaction(work) {
      await connection.query('BEGIN');
      try {
        const result = await work(connection);
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    close: () => client.end().catch(() => undefined),
  };
  return connection;
}
