/**
 * LevelDB layout migrations: numbered, run in order when the database is
 * opened. `!meta!layout-version` records the last one applied (absent = 0).
 * Each migration reads the database and returns its writes; those writes
 * and the new layout version go into one batch, so a crash leaves the
 * database at the old version or the new one, never between. Stored events
 * are never rewritten here (schema changes of events are upcasters).
 */
import { integrityError, refused } from '../errors.js';
import { layoutMigrations } from '../../migrations/layout/index.js';
import type { LevelDatabase } from './ledger-keys.js';
import type { LayoutMigration } from './layout-migration.js';

export interface MigrationReport {
  from: number;
  to: number;
}

const VERSION_KEY = 'layout-version';

export async function migrateLayout(db: LevelDatabase, migrations: readonly LayoutMigration[] = layoutMigrations): Promise<MigrationReport> {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`layout migration ${migration.version} is out of order: expected ${index + 1}`);
  });
  const meta = db.sublevel<string, string>('meta', { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  const from = parseVersion(await meta.get(VERSION_KEY));
  const latest = migrations.length;
  if (from > latest) {
    throw refused('GENLEDGER_DB_TOO_NEW', `the database has layout version ${from}, newer than this genledger knows (${latest})`, 'use the genledger release that wrote this database, or a newer one');
  }
  for (const migration of migrations.slice(from)) {
    const operations = await migration.up(db);
    await db.batch([...operations, { type: 'put', sublevel: meta, key: VERSION_KEY, value: String(migration.version) }]);
  }
  return { from, to: latest };
}

function parseVersion(text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^\d{1,9}$/.test(text)) {
    throw integrityError('GENLEDGER_DB_CORRUPT', `the database's layout version ${JSON.stringify(text)} is not a number`, 'restore the db directory from a backup');
  }
  return Number(text);
}
