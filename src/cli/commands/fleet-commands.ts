/**
 * `genledger fleet …`: this home's ledger shared with a PostgreSQL fleet
 * database. `--db URL` names it everywhere (GENLEDGER_FLEET_DB by
 * default); `push --to URL` is the same option under the name that verb
 * reads best with. The URL is printed only with its password masked.
 */
import type { Command } from 'commander';
import { ExitCode, usageError } from '../../errors.js';
import { action } from '../invocation.js';
import type { CliContext } from '../invocation.js';
import { registerFleetPullCommand } from './fleet-pull-command.js';
import { wholeNumber } from './whole-number.js';
import { fleetUrl } from './fleet-url-option.js';
import { registerFleetQueryCommands } from './fleet-query-commands.js';
import { watchHome } from './fleet-watch.js';

import type { DbFlags } from './fleet-url-option.js';

interface PushFlags extends DbFlags {
  host?: string;
  batchSize?: string;
  watch?: boolean;
  interval?: string;
  cache?: string;
}

interface VerifyFlags extends DbFlags {
  trustedKey?: string[];
}

const DEFAULT_BATCH = 5000;

export function registerFleetCommands(program: Command, context: CliContext): void {
  const fleet = program.command('fleet').description('share this home\'s ledger with a PostgreSQL fleet database, and check it');

  fleet
    .command('init')
    .description('create the fleet schema in a PostgreSQL database, or bring it up to date (running it again changes nothing)')
    .option('--db <url>', 'the fleet database, postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (default: $GENLEDGER_FLEET_DB)')
    .action(
      action<DbFlags, []>(context, async ({ world, options }) => {
        const url = await fleetUrl(world, options);
        const { initFleet } = await import('../../app/fleet/init-fleet.js');
        const report = await initFleet(url);
        if (options.json) world.stdout.write(`${JSON.stringify({ db: url.redacted, ...report })}\n`);
        else if (!options.quiet) world.stderr.write(report.from === report.to ? `genledger: the fleet schema of ${url.redacted} is up to date (version ${report.to})\n` : `genledger: fleet schema of ${url.redacted} brought from version ${report.from} to ${report.to}\n`);
      }),
    );

  fleet
    .command('push')
    .description('send every event of this home the fleet database lacks, verbatim; run again to resume, it never duplicates')
    .option('--to <url>', 'the fleet database (default: $GENLEDGER_FLEET_DB)')
    .option('--db <url>', 'the same as --to')
    .option('--host <name>', "the origin host the events are kept under (default: this machine's host name)")
    .option('--batch-size <n>', `events per transaction (default ${DEFAULT_BATCH})`)
    .option('--watch', 'keep pushing as events are appended to this home, until Ctrl-C or SIGTERM')
    .option('--interval <seconds>', 'with --watch: how often to look at the home (default 5)')
    .option('--cache <url>', 'also upload the closure of every live generation, signed with --sign-key, to this binary cache: file:///DIR or s3://BUCKET?endpoint=URL&region=NAME (without --to, --db or $GENLEDGER_FLEET_DB: only the cache)')
    .action(
      action<PushFlags, []>(context, async ({ world, options }) => {
        const cache = options.cache === undefined ? undefined : await (await import('./fleet-push-cache.js')).prepareCachePush(world, options, options.cache);
        if (cache !== undefined && options.to === undefined && options.db === undefined && world.env.GENLEDGER_FLEET_DB === undefined) return cache.runAlone();
        const url = await fleetUrl(world, options);
        const host = options.host ?? world.actor.host;
        if (host === '') throw usageError('GENLEDGER_BAD_OPTION', 'the origin host name is empty', 'pass --host NAME');
        const batchSize = options.batchSize === undefined ? DEFAULT_BATCH : wholeNumber(options.batchSize, '--batch-size');
        if (batchSize < 1) throw usageError('GENLEDGER_BAD_OPTION', '--batch-size must be at least 1');
        if (options.interval !== undefined && options.watch !== true) throw usageError('GENLEDGER_BAD_OPTION', '--interval goes with --watch');
        const { withSession } = await import('../../app/session/session.js');
        const { pushFleet } = await import('../../app/fleet/push-fleet.js');
        const { faultInjector } = await import('../../fault-injection.js');
        const { terminalProgress } = await import('../../app/session/progress.js');
        const progress = terminalProgress(world, options.quiet === true || options.json === true);
        const push = async () => {
          const result = await pushFleet((read) => withSession(world, options, read, { project: false, access: 'read' }), {
            url,
            host,
            batchSize,
            faults: faultInjector(world.env.GENLEDGER_FAULT),
            progress: (sent, total) => progress.step('pushing events', sent, total),
          }).finally(() => progress.clear());
          const cached = await cache?.run();
          return cached === undefined ? result : { ...result, cache: cached };
        };
        const report = (result: { pushed: number; streams: readonly unknown[] }) => {
          if (options.json) world.stdout.write(`${JSON.stringify({ db: url.redacted, ...result })}\n`);
          else if (!options.quiet) world.stderr.write(`genledger: pushed ${result.pushed} events of ${result.streams.length} streams to ${url.redacted} as host '${host}'\n`);
        };
        if (options.watch !== true) return void report(await push());
        await watchHome(world, options, push, report);
      }),
    );

  fleet
    .command('verify')
    .description("check every chain in the fleet database: hashes, prev links, versions without gaps, signatures, and each origin's order")
    .option('--db <url>', 'the fleet database (default: $GENLEDGER_FLEET_DB)')
    .option('--trusted-key <file>', 'require events signed by this public key (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .action(
      action<VerifyFlags, []>(context, async ({ world, options }) => {
        const url = await fleetUrl(world, options);
        const { resolve } = await import('node:path');
        const { readPublicKeyFile } = await import('../../ledger/key-files.js');
        const { verifyFleet } = await import('../../app/fleet/verify-fleet.js');
        const trustedKeys = (options.trustedKey ?? []).map((file) => readPublicKeyFile(resolve(world.cwd, file)));
        const report = await verifyFleet(url, trustedKeys);
        if (options.json) world.stdout.write(`${JSON.stringify(report)}\n`);
        else {
          for (const problem of report.problems) world.stderr.write(`genledger: ${problem.message}\n`);
          if (!options.quiet) world.stdout.write(`checked ${report.events} events in ${report.streams} streams of ${report.hosts} hosts: ${report.problems.length === 0 ? 'ok' : `${report.problems.length} problems`}\n`);
        }
        return report.problems.length === 0 ? ExitCode.ok : ExitCode.integrity;
      }),
    );

  registerFleetPullCommand(fleet, context);
  registerFleetQueryCommands(fleet, context);
}
