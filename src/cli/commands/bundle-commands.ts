/**
 * `genledger export` and `genledger import`: carrying profiles, with their
 * whole history and optionally their store paths, to another machine.
 * Progress goes to stderr; `--json` and `--dry-run` plans go to stdout.
 */
import type { Command } from 'commander';
import type { ExportResult } from '../../app/bundle/export-bundle.js';
import type { ImportResult } from '../../app/bundle/import-bundle.js';
import { usageError } from '../../errors.js';
import type { World } from '../../world.js';
import { action } from '../invocation.js';
import type { CliContext } from '../invocation.js';

interface ExportFlags {
  to: string;
  withStore?: boolean;
}

interface ImportFlags {
  as?: string;
  substituter?: string[];
  trustedKey?: string[];
  allowExternal?: boolean;
  dryRun?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerBundleCommands(program: Command, context: CliContext): void {
  // The global -p keeps only its last value; export takes any number of profiles, so it hears every occurrence.
  const profiles: string[] = [];
  program.on('option:profile', (value: string) => profiles.push(value));

  program
    .command('export')
    .description('write profiles (every one, or each -p PROFILE) as a bundle that genledger import reads on another machine')
    .requiredOption('--to <dir>', 'the bundle directory: new, empty, or an earlier bundle to update')
    .option('--with-store', 'also write a Nix binary cache (DIR/cache) of the closure of every store path the profiles name; signed with --sign-key')
    .addHelpText('after', '\nWith --sign-key, each stream\'s head is signed: import --trusted-key then accepts the stream without every event having been signed.')
    .action(
      action<ExportFlags, []>(context, async ({ world, options }) => {
        const { resolve } = await import('node:path');
        const { withSession } = await import('../../app/session/session.js');
        const { exportBundle } = await import('../../app/bundle/export-bundle.js');
        const { readSecretKeyFile } = await import('../../ledger/key-files.js');
        const keyFile = options.signKey ?? world.env.GENLEDGER_SIGN_KEY;
        const secretKey = keyFile ? readSecretKeyFile(resolve(world.cwd, keyFile)) : undefined;
        const result = await withSession(world, options, (session) =>
          exportBundle(session, { to: resolve(world.cwd, options.to), profiles, withStore: options.withStore === true, ...(secretKey === undefined ? {} : { secretKey }) }),
          { access: 'read' },
        );
        if (options.json) world.stdout.write(`${JSON.stringify(exportJson(result))}\n`);
        else if (!options.quiet) reportExport(world, result);
      }),
    );

  program
    .command('import')
    .description("reconstruct a bundle's profiles here: verify it, fetch missing store paths, append its events, project")
    .argument('<dir>', 'a bundle written by genledger export')
    .option('--as <profile>', 'the profile a one-stream bundle holds (checked: a stream cannot be renamed)')
    .option('--substituter <url>', "binary cache (file:///dir) to fetch missing store paths from after the bundle's own; repeatable", collect)
    .option('--trusted-key <file>', 'require each stream to be vouched for by one of these public keys (its head signed by export --sign-key, or every event signed), and every fetched path not content-addressed to be signed; repeatable', collect)
    .option('--allow-external', 'accept profiles outside the state home (streams path:/...), linked where they were')
    .option('--dry-run', 'print what would be appended, fetched and linked; change nothing')
    .action(
      action<ImportFlags, [string]>(context, async ({ world, options }, dir) => {
        if (profiles.length > 0) {
          throw usageError('GENLEDGER_BAD_OPTION', 'import takes every stream the bundle holds; -p does not select among them', 'export just the profiles you want (genledger export -p NAME), or check a one-stream bundle with --as NAME');
        }
        const { resolve } = await import('node:path');
        const { withSession } = await import('../../app/session/session.js');
        const { importBundle } = await import('../../app/bundle/import-bundle.js');
        const { readPublicKeyFile } = await import('../../ledger/key-files.js');
        const trustedKeys = (options.trustedKey ?? []).map((file) => readPublicKeyFile(resolve(world.cwd, file)));
        const result = await withSession(world, options, (session) =>
          importBundle(session, {
            dir: resolve(world.cwd, dir),
            ...(options.as === undefined ? {} : { as: options.as }),
            substituters: options.substituter ?? [],
            trustedKeys,
            allowExternal: options.allowExternal === true,
            dryRun: options.dryRun === true,
          }),
          { access: 'write' },
        );
        if (options.json) world.stdout.write(`${JSON.stringify(result)}\n`);
        else await reportImport(world, result, options.quiet === true);
      }),
    );
}

function exportJson(result: ExportResult) {
  const { header } = result;
  return {
    dir: result.dir,
    format: header.version,
    origin: header.origin,
    exportedAt: header.exportedAt,
    storeDir: header.storeDir,
    streams: header.streams,
    store:
      header.store === undefined || result.cache === null
        ? null
        : { cache: result.cache.dir, paths: header.store.paths.length, written: result.cache.written, skipped: result.cache.skipped, missing: header.store.missing },
  };
}

function reportExport(world: World, result: ExportResult): void {
  const { header } = result;
  const streams = header.streams.map((entry) => `${entry.stream} v${entry.version}`).join(', ');
  world.stderr.write(`genledger: exported ${header.streams.length} profile${header.streams.length === 1 ? '' : 's'} to ${result.dir}${streams === '' ? '' : ` (${streams})`}\n`);
  if (result.cache !== null && header.store !== undefined) {
    world.stderr.write(`genledger: ${header.store.paths.length} store paths in ${result.cache.dir} (${result.cache.written} written, ${result.cache.skipped} already there)\n`);
    for (const path of header.store.missing) world.stderr.write(`genledger: warning: '${path}' is named by the history but no longer in the store; the bundle lacks it\n`);
  }
}

async function reportImport(world: World, result: ImportResult, quiet: boolean): Promise<void> {
  if (result.dryRun) {
    const { describeSystemOp } = await import('../../projection/system-plan.js');
    if (result.upToDate) world.stdout.write('nothing to do: already up to date\n');
    for (const stream of result.streams) {
      if (stream.events.length > 0) world.stdout.write(`would append ${stream.events.length} events to '${stream.stream}' (versions ${stream.from + 1}-${stream.to})\n`);
    }
    for (const { path, cache } of result.substituted) world.stdout.write(`would fetch ${path} from ${cache}\n`);
    for (const op of result.operations) world.stdout.write(`would ${describeSystemOp(op)}\n`);
    return;
  }
  if (quiet) return;
  if (result.substituted.length > 0) world.stderr.write(`genledger: fetched ${result.substituted.length} store paths\n`);
  if (result.unavailable.length > 0) {
    world.stderr.write(`genledger: warning: ${result.unavailable.length} store paths of the history are in no cache (not needed for the current profiles)\n`);
  }
  for (const stream of result.streams) {
    const where = `'${stream.stream}' at generation ${stream.generation ?? 'none'}`;
    if (stream.events.length === 0) world.stderr.write(`genledger: ${where} is already up to date with the bundle\n`);
    else world.stderr.write(`genledger: imported ${stream.events.length} events from ${result.origin.user}@${result.origin.host}; ${where}\n`);
  }
}
