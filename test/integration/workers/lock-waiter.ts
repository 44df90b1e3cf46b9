/**
 * Child process that opens a locked database. Usage: lock-waiter DIR
 * TIMEOUT_MS. Prints `waiting: <holder>` when it starts waiting and
 * `opened` once it holds the lock; on failure prints the error as JSON
 * and exits with the error's exit code.
 */
import { isGenledgerError } from '../../../src/errors.js';
import { openDatabase } from '../../../src/ledger/database.js';

const [dir = '', timeout = '0'] = process.argv.slice(2);
try {
  const database = await openDatabase({
    dir,
    lockTimeoutMs: Number(timeout),
    holder: { pid: process.pid, user: 'waiter', command: 'lock-waiter test', since: new Date().toISOString() },
    onWaiting: (holder) => process.stdout.write(`waiting: ${holder}\n`),
  });
  process.stdout.write('opened\n');
  await database.close();
} catch (error) {
  if (!isGenledgerError(error)) throw error;
  process.stdout.write(`${JSON.stringify({ code: error.code, exitCode: error.exitCode, message: error.message })}\n`);
  process.exitCode = error.exitCode;
}
