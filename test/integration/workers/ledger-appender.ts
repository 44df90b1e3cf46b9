/**
 * Child process for the cross-process test: appends COUNT events to one
 * stream as separate commands would, deciding on a head read under one
 * lock and appending under another, so other processes can move the
 * stream in between; a version conflict is retried from a fresh head.
 * Usage: ledger-appender DIR WORKER COUNT. Prints how many conflicts it retried.
 */
import { isGenledgerError } from '../../../src/errors.js';
import { openDatabase } from '../../../src/ledger/database.js';
import type { Database } from '../../../src/ledger/database.js';
import { createLevelLedger } from '../../../src/ledger/level-ledger.js';

const [dir = '', worker = '0', count = '10'] = process.argv.slice(2);
const STREAM = 'profile';

function open(): Promise<Database> {
  return openDatabase({
    dir,
    lockTimeoutMs: 60_000,
    retryMs: 5,
    holder: { pid: process.pid, user: 'worker', command: `ledger-appender ${worker}`, since: new Date().toISOString() },
  });
}

async function withLedger<T>(work: (ledger: ReturnType<typeof createLevelLedger>) => Promise<T>): Promise<T> {
  const database = await open();
  try {
    return await work(createLevelLedger(database.db));
  } finally {
    await database.close();
  }
}

let conflicts = 0;
for (let index = 0; index < Number(count); index++) {
  const event = {
    id: `w${worker}-e${index}`,
    type: 'PackagesInstalled',
    v: 2,
    at: new Date(Date.UTC(2025, 0, 1, 0, Number(worker), index)).toISOString(),
    actor: { user: 'worker', uid: 1000, host: 'test' },
    data: { worker: Number(worker), index },
  };
  for (;;) {
    const expected = await withLedger(async (ledger) => (await ledger.head(STREAM))?.version ?? 0);
    try {
      await withLedger((ledger) => ledger.append(STREAM, expected, [event]));
      break;
    } catch (error) {
      if (!isGenledgerError(error) || error.code !== 'GENLEDGER_VERSION_CONFLICT') throw error;
      conflicts += 1;
    }
  }
}
process.stdout.write(`conflicts retried: ${conflicts}\n`);
