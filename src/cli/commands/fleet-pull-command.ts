/**
 * `genledger fleet pull --host H`: host H's profiles reconstructed in this
 * home from the fleet database (app/fleet/pull-fleet.ts). `--from URL` is
 * `--db URL` under the name this verb reads best with (GENLEDGER_FLEET_DB
 * by default); the URL is printed only with its password masked.
 */
import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { action } from '../invocation.js';
import type { CliContext } from '../invocation.js';

interface PullFlags {
  host?: string;
  from?: string;
  db?: string;
  substituter?: string[];
  trustedKey?: string[];
  allowExternal?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerFleetPullCommand(fleet: Command, context: CliContext): void {
  fleet
    .command('pull')
    .description("reconstruct a host's profiles here from the fleet database, as import does from a bundle (every profile, or -p PROFILE)")
    .option('--host <name>', 'the origin host, as fleet push --host named it (required)')
    .option('--from <url>', 'the fleet database (default: $GENLEDGER_FLEET_DB)')
    .option('--db <url>', 'the same as --from')
    .option('--substituter <url>', 'binary cache (file:///dir) to fetch missing store paths from; repeatable', collect)
    .option('--trusted-key <file>', 'require every event signed by one of these public keys, and every fetched path not content-addressed signed; repeatable', collect)
    .option('--allow-external', 'accept profiles outside the state home (streams path:/...), linked where they were')
    .action(
      action<PullFlags, []>(context, async ({ world, options }) => {
        if (options.host === undefined || options.host === '') throw usageError('GENLEDGER_BAD_OPTION', 'fleet pull needs the origin host', 'pass --host NAME, as fleet push --host named it');
        if (options.db !== undefined && options.from !== undefined && options.db !== options.from) {
          throw usageError('GENLEDGER_BAD_OPTION', '--from and --db name different fleet databases', 'give one of them');
        }
        const { resolve } = await import('node:path');
        const { parseFleetUrl } = await import('../../fleet/fleet-url.js');
        const { readPublicKeyFile } = await import('../../ledger/key-files.js');
        const { withSession } = await import('../../app/session/session.js');
        const { pullFleet } = await import('../../app/fleet/pull-fleet.js');
        const url = parseFleetUrl(options.from ?? options.db ?? world.env.GENLEDGER_FLEET_DB);
        const trustedKeys = (options.trustedKey ?? []).map((file) => readPublicKeyFile(resolve(world.cwd, file)));
        const { host } = options;
        const result = await withSession(
          world,
          options,
          (session) =>
            pullFleet(session, {
              url,
              host,
              ...(options.profile === undefined ? {} : { profile: options.profile }),
              substituters: options.substituter ?? [],
              trustedKeys,
              allowExternal: options.allowExternal === true,
            }),
          { access: 'write' },
        );
        if (options.json) world.stdout.write(`${JSON.stringify({ db: url.redacted, ...result })}\n`);
        else if (!options.quiet) {
          if (result.substituted.length > 0) world.stderr.write(`genledger: fetched ${result.substituted.length} store paths\n`);
          for (const stream of result.streams) {
            const where = `'${stream.stream}' at generation ${stream.generation ?? 'none'}`;
            world.stderr.write(stream.events.length === 0 ? `genledger: ${where} is already up to date with host '${host}'\n` : `genledger: pulled ${stream.events.length} events of host '${host}'; ${where}\n`);
          }
        }
      }),
    );
}
