/**
 * Opening a home's database for a command: bounded by --lock-timeout,
 * recording this command as the lock holder, and saying once, unless
 * --quiet, whom it waits for.
 */
import type { GlobalOptions } from './session-options.js';
import { lockTimeoutMs } from './session-options.js';
import { openDatabase } from '../../ledger/database.js';
import type { Database } from '../../ledger/database.js';
import type { World } from '../../world.js';

export function openHomeDatabase(world: World, options: GlobalOptions, dir: string, createIfMissing: boolean): Promise<Database> {
  return openDatabase({
    createIfMissing,
    dir,
    lockTimeoutMs: lockTimeoutMs(options),
    holder: { pid: world.pid, user: world.actor.user, command: ['genledger', ...world.argv].join(' '), since: world.now().toISOString() },
    onWaiting: (holder) => {
      if (!options.quiet) world.stderr.write(`genledger: waiting for the database lock held by ${holder}\n`);
    },
    sleep: world.sleep,
  });
}
