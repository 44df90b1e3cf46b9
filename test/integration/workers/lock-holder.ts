/**
 * Child process that holds the database lock until told to let go.
 * Usage: lock-holder DIR. Prints `locked` once it holds the lock (and has
 * recorded itself as holder), closes when a line arrives on stdin, then
 * prints `released`.
 */
import { once } from 'node:events';
import { openDatabase } from '../../../src/ledger/database.js';

const [dir = ''] = process.argv.slice(2);
const database = await openDatabase({
  dir,
  lockTimeoutMs: 10_000,
  holder: { pid: process.pid, user: 'holder', command: 'lock-holder test', since: '2025-01-01T00:00:00.000Z' },
});
process.stdout.write('locked\n');
await once(process.stdin, 'data');
await database.close();
process.stdout.write('released\n');
process.stdin.destroy();
