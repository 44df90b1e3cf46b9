/**
 * The fleet schema's version: `fleet_schema` records every migration
 * applied (migrations/fleet). `migrateFleet` applies the missing ones in
 * one transaction, serialised by an advisory lock so two `fleet init`s at
 * once apply each migration once; `checkFleetSchema` refuses a database
 * without the schema, or with an older or newer one than this genledger's.
 */
import { refused } from '../errors.js';
import { fleetMigrations } from '../../migrations/fleet/index.js';
import type { FleetConnection } from './fleet-connection.js';

/** An arbitrary constant: the advisory lock key of schema changes. */
const SCHEMA_LOCK = 71_830_018;

export const fleetSchemaVersion = fleetMigrations.length;

export interface FleetMigrationReport {
  readonly from: number;
  readonly to: number;
}

export async function migrateFleet(connection: FleetConnection): Promise<FleetMigrationReport> {
  return connection.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS fleet_schema (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const from = await appliedVersion(tx);
    if (from > fleetSchemaVersion) throw newerSchema(from);
    for (const migration of fleetMigrations.slice(from)) {
      await tx.query(migration.sql);
      await tx.query('INSERT INTO fleet_schema (version, description) VALUES ($1, $2)', [migration.version, migration.description]);
    }
    return { from, to: fleetSchemaVersion };
  });
}

export async function checkFleetSchema(connection: FleetConnection): Promise<void> {
  const table = await connection.query<{ present: boolean }>("SELECT to_regclass('fleet_schema') IS NOT NULL AS present");
  if (table.rows[0]?.present !== true) {
    throw refused('GENLEDGER_FLEET_SCHEMA_MISSING', `the database ${connection.url.redacted} holds no genledger fleet schema`, `run genledger fleet init --db ${connection.url.redacted}`);
  }
  const version = await appliedVersion(connection);
  if (version > fleetSchemaVersion) throw newerSchema(version);
  if (version < fleetSchemaVersion) {
    throw refused('GENLEDGER_FLEET_SCHEMA_MISMATCH', `the fleet database has schema version ${version}, older than this genledger's (${fleetSchemaVersion})`, `run genledger fleet init --db ${connection.url.redacted} to bring it up to date`);
  }
}

async function appliedVersion(connection: FleetConnection): Promise<number> {
  const result = await connection.query<{ version: number | null }>('SELECT max(version) AS version FROM fleet_schema');
  return result.rows[0]?.version ?? 0;
}

function newerSchema(version: number) {
  return refused('GENLEDGER_FLEET_SCHEMA_MISMATCH', `the fleet database has schema version ${version}, newer than this genledger knows (${fleetSchemaVersion})`, 'use the genledger release that set the fleet database up, or a newer one');
}
