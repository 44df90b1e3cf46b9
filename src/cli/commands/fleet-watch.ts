/**
 * `fleet push --watch [--interval SECONDS]`: the watch loop of
 * app/fleet/watch-push.ts on this home's ledger head file, with its
 * messages; a stop signal ends it cleanly (exit 0) between pushes.
 */
import { usageError } from '../../errors.js';
import type { PushResult } from '../../app/fleet/push-fleet.js';
import type { World } from '../../world.js';
import type { GlobalOptions } from '../../app/session/session-options.js';

const DEFAULT_INTERVAL_SECONDS = 5;

export async function watchHome(world: World, options: GlobalOptions & { interval?: string }, push: () => Promise<PushResult>, report: (result: PushResult) => void): Promise<void> {
  const seconds = options.interval === undefined ? DEFAULT_INTERVAL_SECONDS : Number(options.interval);
  if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 86_400 || !/^\d+(\.\d+)?$/.test(options.interval ?? '5')) {
    throw usageError('GENLEDGER_BAD_OPTION', `--interval takes a number of seconds from 0.1 to 86400, not '${options.interval}'`);
  }
  const { watchPush } = await import('../../app/fleet/watch-push.js');
  const { resolveStateHome } = await import('../../app/session/state-home.js');
  const { ledgerHeadFile } = await import('../../ledger/ledger-head-file.js');
  const pushes = await watchPush(push, {
    headFile: ledgerHeadFile(resolveStateHome(options.home, world).root),
    intervalMs: seconds * 1000,
    sleep: world.sleep,
    interruption: world.interruption,
    pushed: report,
    failed: (message) => world.stderr.write(`genledger: ${message}; trying again in ${seconds}s\n`),
  });
  if (!options.quiet && !options.json) world.stderr.write(`genledger: stopped watching after ${pushes} pushes\n`);
}
