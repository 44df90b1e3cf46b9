// The genledger library, loaded from the build (dist/) when first needed,
// so the suite can say "run npm run build" instead of failing on import.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoDir } from './genledger.mjs';

/** The library's exports (dist/index.js). */
export function library() {
  return import(pathToFileURL(join(repoDir, 'dist', 'index.js')).href);
}

/** Opens the ledger of the database at `dir` (committing to the head file of `home`, if given); close `database` when done. */
export async function openLedger(dir, home) {
  const { committingTo, createLevelLedger, ledgerHeadFile, openDatabase } = await library();
  const holder = { pid: process.pid, user: 'bench', command: 'bench/run.mjs', since: new Date().toISOString() };
  const database = await openDatabase({ dir, lockTimeoutMs: 10_000, holder });
  return { database, ledger: createLevelLedger(database.db, home === undefined ? {} : { commit: committingTo(ledgerHeadFile(home)) }) };
}

/** Opens the database at `dir` and closes it again: its tables are checked and remembered, as on a home in use. */
export async function openAndClose(dir) {
  const { database } = await openLedger(dir);
  await database.close();
}
