/**
 * Direct access to a home's LevelDB (`<home>/db`) with no genledger process
 * running, for damaging it on purpose and for proving that a refused
 * command wrote nothing. Keys are the full keys, sublevel prefixes
 * included: `!ledger!stream!<stream>!<version:16>`, `!ledger!log!<seq:16>`,
 * `!projection!checkpoint`.
 */
import { join } from 'node:path';
import { Level } from 'level';

export const eventKey = (stream: string, version: number) => `!ledger!stream!${stream}!${String(version).padStart(16, '0')}`;
export const logKey = (seq: number) => `!ledger!log!${String(seq).padStart(16, '0')}`;
export const checkpointKey = '!projection!checkpoint';

export async function withRawDatabase<T>(home: string, work: (db: Level<string, string>) => Promise<T>): Promise<T> {
  const db = new Level<string, string>(join(home, 'db'), { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await db.open();
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** Every key and value of the ledger's own key space. */
export function ledgerEntries(home: string): Promise<Map<string, string>> {
  return withRawDatabase(home, async (db) => new Map(await db.iterator({ gte: '!ledger!', lt: '!ledger"' }).all()));
}

export async function rewriteValue(home: string, key: string, change: (value: string) => string): Promise<void> {
  await withRawDatabase(home, async (db) => {
    const value = await db.get(key);
    if (value === undefined) throw new Error(`no key ${key}`);
    await db.put(key, change(value));
  });
}
