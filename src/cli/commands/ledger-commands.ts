/**
 * `genledger log`, `verify` and `replay`: reading, checking and re-projecting
 * the log.
 */
import type { Command } from 'commander';
import { ExitCode, integrityError } from '../../errors.js';
import { action } from '../invocation.js';
import type { CliContext } from '../invocation.js';
import { summarize } from '../render/event-summary.js';
import { actorText } from '../render/actor-text.js';
import { escapedText, reasonText } from '../render/reason-text.js';
import type { LogFilterOptions } from '../log-filters.js';
import type { LogRecord } from '../../ledger/ledger.js';

export function registerLedgerCommands(program: Command, context: CliContext): void {
  program
    .command('log')
    .description('the event log, newest last: who did what, when, with which command and why')
    .option('--user <user>', 'only events by this user (or sudo user)')
    .option('--package <name>', 'only events that touch this package')
    .option('--type <type>', 'only events of this type (any case: packagesinstalled)')
    .option('--since <time>', 'only events at or after this seq, time, or time ago (30m, 2h, 1d, 2w)')
    .option('--until <time>', 'only events at or before this seq, time, or time ago (30m, 2h, 1d, 2w)')
    .option('-n <count>', 'only the newest COUNT events (after the other filters)')
    .option('--reverse', 'newest first')
    .action(
      action<LogFilterOptions & { profile?: string }, []>(context, async ({ world, options }) => {
        const { withSession } = await import('../../app/session/session.js');
        const { sessionProfile } = await import('../../app/profile/session-profile.js');
        const { parseLogPoint } = await import('../../app/profile/profile-queries.js');
        const { eventCount, eventTypeFilter, relativeTime } = await import('../log-filters.js');
        const { systemStream } = await import('../../app/system/system-stream.js');
        const point = (text: string) => parseLogPoint(relativeTime(text, world.now()) ?? text);
        const since = options.since === undefined ? undefined : point(options.since);
        const until = options.until === undefined ? undefined : point(options.until);
        const type = options.type === undefined ? undefined : eventTypeFilter(options.type);
        const count = options.n === undefined ? undefined : eventCount(options.n);
        await withSession(world, options, async (session) => {
          // The system profile is no -p target of the profile commands, but its log is read like any other.
          const stream = options.profile === undefined ? undefined : options.profile === systemStream ? systemStream : sessionProfile(session, options.profile).stream;
          const keep = ({ seq, event }: LogRecord) =>
            (stream === undefined || event.stream === stream) &&
            (options.user === undefined || event.actor.user === options.user || event.actor.sudoUser === options.user) &&
            (type === undefined || event.type === type) &&
            (since === undefined || ('seq' in since ? seq >= since.seq : event.at >= since.time)) &&
            (until === undefined || ('seq' in until ? seq <= until.seq : event.at <= until.time));
          const records = [];
          if (count !== undefined && options.package === undefined && since === undefined && (until === undefined || 'seq' in until)) {
            // The newest COUNT only: read from the end of the log, not the whole log.
            const { newestLogRecords } = await import('../../app/provenance/newest-log-records.js');
            records.push(...(await newestLogRecords(session.ledger, count, keep, until?.seq)));
          } else {
            const readOptions = until === undefined ? {} : 'seq' in until ? { untilSeq: until.seq } : { until: until.time };
            // --package reads only the events the package index names, instead of the whole log.
            const { packageLog } = await import('../../app/provenance/package-log.js');
            const candidates = options.package === undefined ? session.ledger.readLog(readOptions) : await packageLog(session, options.package, stream);
            for await (const record of candidates) if (keep(record)) records.push(record);
          }
          if (count !== undefined) records.splice(0, Math.max(0, records.length - count));
          if (options.reverse) records.reverse();
          if (options.json) {
            world.stdout.write(`${JSON.stringify(records.map(({ seq, event }) => ({ seq, ...event })))}\n`);
            return;
          }
          for (const { seq, event } of records) {
            world.stdout.write(`seq ${seq}  ${event.at}  ${actorText(event.actor)}  ${event.stream} v${event.version}  ${event.type}\n`);
            if (event.command !== undefined) world.stdout.write(`    $ ${escapedText(event.command.join(' '))}\n`);
            world.stdout.write(`    ${summarize(event)}\n`);
            if (event.reason !== undefined) world.stdout.write(`    reason: ${reasonText(event.reason, world.stdout, 12)}\n`);
          }
        }, { access: 'read' });
      }),
    );

  program
    .command('replay')
    .description('re-project profiles from the log, at its head or as at --at')
    .option('--at <seq|time>', 'as the profiles stood at that point of the log')
    .option('--into <dir>', 'project into DIR (laid out like a state home) instead of the live home')
    .option('--dry-run', 'print the file operations; change nothing')
    .action(
      action<{ at?: string; into?: string; dryRun?: boolean }, []>(context, async ({ world, options }) => {
        const { withSession } = await import('../../app/session/session.js');
        const { parseLogPoint } = await import('../../app/profile/profile-queries.js');
        const { describeSystemOp } = await import('../../projection/system-plan.js');
        const { resolve } = await import('node:path');
        const at = options.at === undefined ? undefined : parseLogPoint(options.at);
        const { replayCommand } = await import('../../app/session/replay.js');
        const timeTravel = at !== undefined && options.into === undefined;
        const result = await withSession(
          world,
          options,
          (session) =>
            replayCommand(session, {
              dryRun: options.dryRun === true,
              ...(at === undefined ? {} : { at }),
              ...(options.into === undefined ? {} : { into: resolve(world.cwd, options.into) }),
              ...(options.profile === undefined ? {} : { profile: options.profile }),
            }),
          { access: 'write', project: !timeTravel && options.dryRun !== true },
        );
        const [first, ...others] = result.missing;
        if (first !== undefined) {
          throw integrityError(
            'GENLEDGER_STORE_PATH_MISSING',
            `store path '${first.path}' (needed by generation ${first.generation} of profile '${first.profile}') is missing and cannot be rebuilt from the log${others.length > 0 ? `; ${others.length} more are missing too` : ''}`,
            'import it from a bundle or a binary cache (genledger import), or add it again with genledger store add',
          );
        }
        if (options.json) {
          world.stdout.write(`${JSON.stringify({ profiles: result.profiles, operations: result.ops })}\n`);
          return;
        }
        if (options.dryRun) for (const op of result.ops) world.stdout.write(`would ${describeSystemOp(op)}\n`);
        if (!options.quiet) for (const p of result.profiles) world.stderr.write(`genledger: ${p.profile} at generation ${p.generation ?? 'none'} (${p.operations} file operations)\n`);
      }),
    );

  program
    .command('verify')
    .description('check hash chains, signatures, the store and projections against disk')
    .option('--trusted-key <file>', 'require events signed by this public key (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--all', 'on a terminal, every problem instead of a screenful')
    .action(
      action<{ trustedKey?: string[]; all?: boolean }, []>(context, async ({ world, options }) => {
        const { verifyHome } = await import('../../app/verify/verify-home.js');
        const report = await verifyHome(world, options, options.trustedKey ?? []);
        if (options.json) world.stdout.write(`${JSON.stringify(report)}\n`);
        else {
          const { verifyProblemLines } = await import('../render/verify-problems.js');
          // A screenful less the prompt, the summary and the line saying what was left out.
          const budget = world.stderr.isTTY && options.all !== true ? Math.max(2, (world.stderr.rows ?? 24) - 4) : null;
          for (const line of verifyProblemLines(report.problems, budget)) world.stderr.write(`genledger: ${line}\n`);
          for (const warning of report.warnings) world.stderr.write(`genledger: warning: ${warning}\n`);
          if (!options.quiet) world.stdout.write(`checked ${report.eventsChecked} events, ${report.storePathsChecked} store paths, ${report.profilesChecked} profiles: ${report.problems.length === 0 ? 'ok' : `${report.problems.length} problems`}\n`);
        }
        return report.problems.length === 0 ? ExitCode.ok : ExitCode.integrity;
      }),
    );
}
