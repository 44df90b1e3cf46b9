/**
 * `genledger gc` and `genledger root add|remove`.
 */
import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { action } from '../invocation.js';
import type { CliContext } from '../invocation.js';

export function registerGcCommands(program: Command, context: CliContext): void {
  program
    .command('gc')
    .description('delete store paths that no root keeps alive')
    .option('--dry-run', 'print what would be deleted; delete nothing')
    .option('--max-freed <bytes>', 'stop after freeing this many bytes')
    .option('--delete-unknown', 'also delete store entries this home does not know that are named like store paths (dangerous on a shared store)')
    .action(
      action<{ dryRun?: boolean; maxFreed?: string; deleteUnknown?: boolean }, []>(context, async ({ world, options }) => {
        if (options.maxFreed !== undefined && !/^\d{1,15}$/.test(options.maxFreed)) throw usageError('GENLEDGER_BAD_OPTION', `--max-freed takes a number of bytes, not '${options.maxFreed}'`);
        const { withSession } = await import('../../app/session/session.js');
        const { runGarbageCollection } = await import('../../app/gc/gc-use-cases.js');
        const dryRun = options.dryRun === true;
        const outcome = await withSession(world, options, (session) =>
          runGarbageCollection(session, {
            dryRun,
            deleteUnknown: options.deleteUnknown === true,
            ...(options.maxFreed === undefined ? {} : { maxFreed: Number(options.maxFreed) }),
          }),
        );
        const { deleted: paths, bytes, removedTemporary, removedUnknown, unknown } = outcome;
        if (options.json) {
          world.stdout.write(`${JSON.stringify({ dryRun, deleted: paths, bytesFreed: bytes, removedTemporary, removedUnknown, unknown })}\n`);
          return;
        }
        for (const path of paths) world.stdout.write(`${dryRun ? 'would delete' : 'deleted'} '${path}'\n`);
        if (options.quiet) return;
        world.stderr.write(`${paths.length} store paths ${dryRun ? 'would be ' : ''}deleted, ${(bytes / 1048576).toFixed(2)} MiB ${dryRun ? 'would be ' : ''}freed\n`);
        if (unknown.length > 0) world.stderr.write(`${unknown.length} store entries this home does not know were kept (listed by gc --dry-run --json)\n`);
      }),
    );

  const root = program.command('root').description('registered (indirect) GC roots');
  root
    .command('add')
    .description('keep the store path LINK points at alive')
    .argument('<link>')
    .action(
      action<object, [string]>(context, async ({ world, options }, link) => {
        const { withSession } = await import('../../app/session/session.js');
        const { addRoot } = await import('../../app/gc/gc-use-cases.js');
        const target = await withSession(world, options, (session) => addRoot(session, link));
        if (!options.quiet) world.stderr.write(`genledger: '${link}' now keeps ${target} alive\n`);
      }),
    );
  root
    .command('remove')
    .description('stop treating LINK as a GC root')
    .argument('<link>')
    .action(
      action<object, [string]>(context, async ({ world, options }, link) => {
        const { withSession } = await import('../../app/session/session.js');
        const { removeRoot } = await import('../../app/gc/gc-use-cases.js');
        await withSession(world, options, (session) => removeRoot(session, link));
      }),
    );
}
