// Run as its own process by the open-head-process case: loads the library
// from the build, opens the database DIR, reads the head of STREAM, closes,
// and prints the head's version: what any command on that home pays before
// its own work. Usage: node bench/lib/open-head.mjs DIR STREAM
import { createLevelLedger, openDatabase } from '../../dist/index.js';

const [dir, stream] = process.argv.slice(2);
const holder = { pid: process.pid, user: 'bench', command: 'bench/lib/open-head.mjs', since: new Date().toISOString() };
const database = await openDatabase({ dir, lockTimeoutMs: 10_000, holder });
const head = await createLevelLedger(database.db).head(stream);
await database.close();
process.stdout.write(`${head?.version ?? 0}\n`);
