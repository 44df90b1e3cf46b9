/**
 * The fleet queries, `genledger fleet hosts | who-runs | log | blame |
 * drift`: read-only, each with `--json` (shapes in the README's JSON
 * table) and a text form. They read the fleet's derived tables
 * (migrations/fleet/0002-fleet-current.sql), which `fleet push` keeps up
 * to date.
 */
import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import type { FleetConnection } from '../../fleet/fleet-connection.js';
import { parseDrvName, storePathName } from '../../projection/drv-name.js';
import type { ManifestElement } from '../../projection/manifest-json.js';
import type { World } from '../../world.js';
import type { GlobalOptions } from '../../app/session/session-options.js';
import { action } from '../invocation.js';
import type { CliContext } from '../invocation.js';
import { actorText } from '../render/actor-text.js';
import { escapedText, reasonText } from '../render/reason-text.js';
import { fleetUrl } from './fleet-url-option.js';
import type { LogFilterOptions } from '../log-filters.js';

interface DbFlags {
  db?: string;
}

interface LogFlags extends DbFlags, LogFilterOptions {
  host?: string;
}

const DB_HELP = 'the fleet database (default: $GENLEDGER_FLEET_DB)';

export function registerFleetQueryCommands(fleet: Command, context: CliContext): void {
  fleet
    .command('hosts')
    .description('every host in the fleet database: its profiles and their current generations, its last event and last push')
    .option('--db <url>', DB_HELP)
    .action(
      action<DbFlags, []>(context, async ({ world, options }) => {
        const { fleetHosts } = await import('../../app/fleet/fleet-hosts.js');
        const hosts = await reading(world, options, fleetHosts);
        if (options.json) return void world.stdout.write(`${JSON.stringify({ hosts })}\n`);
        for (const host of hosts) {
          const last = host.lastEvent === null ? 'no events' : `last event ${host.lastEvent.at} ${host.lastEvent.type} (${host.lastEvent.stream})`;
          world.stdout.write(`${host.host}  last push ${host.lastPush}  ${last}\n`);
          for (const profile of host.profiles) world.stdout.write(`  ${profile.profile}  generation ${profile.generation ?? 'none'}${profile.since === null ? '' : ` since ${profile.since}`}\n`);
        }
      }),
    );

  fleet
    .command('who-runs')
    .description("the hosts and profiles whose current generation holds a package (NAME or NAME@VERSION, as Nix parses store path names) or a store path, and since when")
    .argument('<package>', 'NAME, NAME@VERSION or /nix/store/…-NAME-VERSION')
    .option('--db <url>', DB_HELP)
    .action(
      action<DbFlags, [string]>(context, async ({ world, options }, text) => {
        if (text === '' || text === '@') throw usageError('GENLEDGER_BAD_OPTION', 'who-runs needs a package name or a store path');
        const { parseWhoRuns, whoRuns } = await import('../../app/fleet/fleet-who-runs.js');
        const query = parseWhoRuns(text);
        const holders = await reading(world, options, (connection) => whoRuns(connection, query));
        if (options.json) return void world.stdout.write(`${JSON.stringify({ query, holders })}\n`);
        for (const row of holders) world.stdout.write(`${row.host}  ${row.profile}  generation ${row.generation}${row.since === null ? '' : ` since ${row.since}`}  ${row.storePath}\n`);
        if (holders.length === 0 && !options.quiet) world.stderr.write(`genledger: no current generation in the fleet holds ${text}\n`);
      }),
    );

  fleet
    .command('log')
    .description("the audit trail across hosts, in the fleet's order: who did what where, when, with which command and why")
    .option('--db <url>', DB_HELP)
    .option('--host <host>', 'only events of this host')
    .option('--user <user>', 'only events by this user')
    .option('--package <name>', 'only events that touch this package (element name)')
    .option('--type <type>', 'only events of this type (any case)')
    .option('--since <time>', 'only events at or after this time, or time ago (30m, 2h, 1d, 2w)')
    .option('--until <time>', 'only events at or before this time, or time ago (30m, 2h, 1d, 2w)')
    .option('-n <count>', 'only the newest COUNT events (after the other filters)')
    .option('--reverse', 'newest first')
    .action(
      action<LogFlags, []>(context, async ({ world, options }) => {
        const { eventCount, eventTypeFilter, relativeTime } = await import('../log-filters.js');
        const { fleetLog } = await import('../../app/fleet/fleet-log.js');
        const { summarize } = await import('../render/event-summary.js');
        const time = (text: string | undefined, flag: string) => (text === undefined ? undefined : instant(relativeTime(text, world.now()) ?? text, flag));
        const since = time(options.since, '--since');
        const until = time(options.until, '--until');
        const type = options.type === undefined ? undefined : eventTypeFilter(options.type);
        const count = options.n === undefined ? undefined : eventCount(options.n);
        const entries = await reading(world, options, (connection) =>
          fleetLog(connection, {
            ...(options.host === undefined ? {} : { host: options.host }),
            ...(options.user === undefined ? {} : { user: options.user }),
            ...(options.package === undefined ? {} : { packageName: options.package }),
            ...(type === undefined ? {} : { type }),
            ...(since === undefined ? {} : { since }),
            ...(until === undefined ? {} : { until }),
            ...(count === undefined ? {} : { newest: count }),
          }),
        );
        if (options.reverse) entries.reverse();
        if (options.json) return void world.stdout.write(`${JSON.stringify(entries)}\n`);
        for (const { host, ...event } of entries) {
          world.stdout.write(`${host}  ${event.at}  ${actorText(event.actor)}  ${event.stream} v${event.version}  ${event.type}\n`);
          if (event.command !== undefined) world.stdout.write(`    $ ${escapedText(event.command.join(' '))}\n`);
          world.stdout.write(`    ${summarize(event)}\n`);
          if (event.reason !== undefined) world.stdout.write(`    reason: ${reasonText(event.reason, world.stdout, 12)}\n`);
        }
      }),
    );

  fleet
    .command('blame')
    .description("who put the current version of a package into a host's profile, and everything that happened to it before")
    .argument('<host>', 'the host, as it pushed')
    .argument('<name>', 'the element name')
    .option('--db <url>', DB_HELP)
    .option('--profile <profile>', "the host's profile stream (default: profile)")
    .action(
      action<DbFlags & { profile?: string }, [string, string]>(context, async ({ world, options }, host, name) => {
        const { fleetBlame } = await import('../../app/fleet/fleet-blame.js');
        const report = await reading(world, options, (connection) => fleetBlame(connection, host, options.profile ?? 'profile', name));
        if (options.json) return void world.stdout.write(`${JSON.stringify(report)}\n`);
        const where = `generation ${report.generation ?? 'none'} of profile '${report.profile}' on host '${report.host}'`;
        const lines: string[] = [];
        if (report.current !== null) {
          lines.push(`${name} ${versionsOf(report.current.storePaths)} in ${where}`, `${report.current.change} in generation ${report.current.generation} by ${actorText(report.current.actor)} at ${report.current.at}`);
          if (report.current.command !== null) lines.push(`  $ ${escapedText(report.current.command.join(' '))}`);
          if (report.current.reason !== null) lines.push(`  reason: ${reasonText(report.current.reason, world.stdout, 10)}`);
        } else {
          const removal = report.removedBy === null ? '' : `; removed in generation ${report.removedBy.generation} by ${actorText(report.removedBy.actor)} at ${report.removedBy.at}`;
          lines.push(`${name} is not in ${where}${removal}`);
        }
        lines.push('history, newest first:');
        for (const entry of report.history) {
          lines.push(`  ${entry.at}  v${entry.version}  generation ${entry.generation}  ${entry.change}${entry.change === 'priority' ? '' : ` ${versionsOf(entry.storePaths)}`}  by ${actorText(entry.actor)}`);
        }
        world.stdout.write(`${lines.join('\n')}\n`);
      }),
    );

  fleet
    .command('drift')
    .description("the hosts whose profile differs from another host's (--like HOST:PROFILE) or from a manifest.json (--like FILE), element by element")
    .requiredOption('--like <reference>', 'HOST:PROFILE, or FILE: a manifest.json of the desired profile')
    .option('--profile <profile>', 'with --like FILE: the profile stream compared (default: profile)')
    .option('--db <url>', DB_HELP)
    .action(
      action<DbFlags & { like: string; profile?: string }, []>(context, async ({ world, options }) => {
        const { fleetDrift, profileOfHost } = await import('../../app/fleet/fleet-drift.js');
        const { existsSync, readFileSync } = await import('node:fs');
        const { resolve } = await import('node:path');
        const file = resolve(world.cwd, options.like);
        const colon = options.like.indexOf(':');
        const fromFile = existsSync(file) || colon <= 0;
        if (!fromFile && options.profile !== undefined) throw usageError('GENLEDGER_BAD_OPTION', '--profile goes with --like FILE; --like HOST:PROFILE names the profile');
        const profile = fromFile ? (options.profile ?? 'profile') : options.like.slice(colon + 1);
        const desired = fromFile ? await manifestElements(file, readFileSync) : undefined;
        const report = await reading(world, options, async (connection) =>
          fleetDrift(connection, profile, desired ?? (await profileOfHost(connection, options.like.slice(0, colon), profile))),
        );
        if (options.json) return void world.stdout.write(`${JSON.stringify({ like: options.like, ...report })}\n`);
        for (const host of report.drifted) {
          world.stdout.write(`${host.host}  ${report.profile}  generation ${host.generation ?? 'none'}\n`);
          for (const element of host.missing) world.stdout.write(`  + ${element.name} ${versionsOf(element.storePaths)} (missing)\n`);
          for (const element of host.extra) world.stdout.write(`  - ${element.name} ${versionsOf(element.storePaths)} (extra)\n`);
          for (const change of host.changed) world.stdout.write(`  ~ ${change.name} ${versionsOf(change.host.storePaths)} -> ${versionsOf(change.desired.storePaths)}\n`);
        }
        if (!options.quiet) world.stderr.write(`genledger: ${report.drifted.length} of ${report.compared} hosts with profile '${report.profile}' differ\n`);
      }),
    );
}

async function reading<T>(world: World, options: DbFlags & GlobalOptions, read: (connection: FleetConnection) => Promise<T>): Promise<T> {
  const { withFleet } = await import('../../app/fleet/with-fleet.js');
  return withFleet(await fleetUrl(world, options), read);
}

async function manifestElements(file: string, readFile: (path: string, encoding: 'utf8') => string): Promise<readonly ManifestElement[]> {
  const { parseManifest } = await import('../../projection/manifest-parse.js');
  let text: string;
  try {
    text = readFile(file, 'utf8');
  } catch {
    throw usageError('GENLEDGER_BAD_OPTION', `--like: cannot read ${file}`, 'give HOST:PROFILE or a readable manifest.json');
  }
  return parseManifest(text, file).elements;
}

/** An ISO time (or one relativeTime made), as PostgreSQL will compare it. */
function instant(text: string, flag: string): string {
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw usageError('GENLEDGER_BAD_OPTION', `${flag} '${text}' is not a time`, 'give an ISO time (2026-05-01T12:00:00Z) or a time ago (30m, 2h, 1d, 2w)');
  return new Date(time).toISOString();
}

/** The versions of some store paths (DrvName), or the paths when they carry none. */
function versionsOf(storePaths: readonly string[]): string {
  const versions = [...new Set(storePaths.map((path) => parseDrvName(storePathName(path)).version).filter((version) => version !== ''))];
  return versions.length > 0 ? versions.join(', ') : storePaths.join(' ');
}
