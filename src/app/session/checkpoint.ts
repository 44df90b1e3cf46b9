/**
 * The projection checkpoint: the last log seq whose effects are on disk. It
 * is a cache, never a truth: deleting it only makes the next run reconcile
 * everything again, which changes nothing that was already right.
 */
import type { Database } from '../../ledger/database.js';

const key = 'checkpoint';

function space(database: Database) {
  return database.db.sublevel<string, string>('projection', { valueEncoding: 'utf8' });
}

export async function readCheckpoint(database: Database): Promise<number | null> {
  const text = await space(database).get(key);
  return text === undefined ? null : Number(text);
}

export async function writeCheckpoint(database: Database, seq: number): Promise<void> {
  await space(database).put(key, String(seq));
}

export async function clearCheckpoint(database: Database): Promise<void> {
  await space(database).del(key);
}
