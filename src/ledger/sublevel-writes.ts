/**
 * One atomic write of many puts into sublevels of the shared database.
 * The puts go through a chained batch on the root database, which hands
 * each one to classic-level's native batch as it is added, where an array
 * batch on a sublevel is cloned and re-encoded operation by operation by
 * abstract-level twice (for the sublevel, then for the root) before the
 * native side walks it again. For the ledger's appends (about 1.3 KB of
 * values per event, three puts each) that was the largest single cost of
 * a batched append.
 */
import type { LevelDatabase, LevelSublevel } from './ledger-keys.js';

export interface SublevelPut {
  readonly sublevel: LevelSublevel;
  readonly key: string;
  readonly value: string;
}

/** Writes `puts` all or none; `sync` waits until they are on disk. */
export async function writeSublevelPuts(db: LevelDatabase, puts: readonly SublevelPut[], options: { sync: boolean }): Promise<void> {
  const batch = db.batch();
  try {
    for (const { sublevel, key, value } of puts) batch.put(key, value, { sublevel });
  } catch (error) {
    await batch.close();
    throw error;
  }
  await batch.write(options);
}
