/**
 * `genledger gc` and `genledger root list|add|remove`.
 */
import type { Command } from 'commander';
import { retentionArgs } from '../../domain/retention-policy.js';
import { usageError } from '../../errors.js';
import { byteCount } from './byte-count.js';
import { sizeText } from '../render/size-text.js';
import { action } from '../invocation.js';
import type { CliContext } from '../invocation.js';

interface GcCliOptions {
  dryRun?: boolean;
  maxFreed?: string;
  deleteUnknown?: boolean;
  printRoots?: boolean;
  printLive?: boolean;
  printDead?: boolean;
  keep?: string;
  keepSince?: string;
}

/** Which of --print-roots/--print-live/--print-dead was asked for: they read only, so they combine with nothing that deletes. */
function printMode(options: GcCliOptions): 'roots' | 'live' | 'dead' | null {
  const flags = { roots: options.printRoots, live: options.printLive, dead: options.printDead };
  const asked = (['roots', 'live', 'dead'] as const).filter((mode) => flags[mode] === true);
  if (asked.length === 0) return null;
  if (asked.length > 1) throw usageError('GENLEDGER_BAD_OPTION', `give one of --print-roots, --print-live and --print-dead, not ${asked.length}`);
  if (options.dryRun === true || options.deleteUnknown === true) {
    throw usageError('GENLEDGER_BAD_OPTION', `--print-${asked[0]} deletes nothing and cannot be combined with --dry-run or --delete-unknown`, `run genledger gc --print-${asked[0]} alone`);
  }
  return asked[0] ?? null;
}

export function registerGcCommands(program: Command, context: CliContext): void {
  program
    .command('gc')
    .description('delete store paths that no root keeps alive')
    .option('--dry-run', 'print what would be deleted; delete nothing')
    .option('--max-freed <bytes>', 'stop after freeing this many bytes (K, M, G, T suffixes: 1K = 1024)')
    .option('--delete-unknown', 'also delete store entries this home does not know that are named like store paths (dangerous on a shared store)')
    .option('--print-roots', 'print every root as LINK -> STORE-PATH, as nix-store --gc --print-roots; delete nothing')
    .option('--print-live', 'print the paths the roots keep alive, as nix-store --gc --print-live; delete nothing')
    .option('--print-dead', 'print the paths gc would delete, as nix-store --gc --print-dead; delete nothing')
    .option('--keep <n>', "first delete every profile's generations but the newest N (and those --keep-since keeps)")
    .option('--keep-since <duration>', "first delete every profile's generations older than DURATION (12h, 7d, 2w) but those --keep keeps")
    .action(
      action<GcCliOptions, []>(context, async ({ world, options }) => {
        const maxFreed = options.maxFreed === undefined ? undefined : byteCount(options.maxFreed, '--max-freed');
        const printing = printMode(options);
        const { withSession } = await import('../../app/session/session.js');
        if (printing !== null) {
          const { gcRoots, listGarbage } = await import('../../app/gc/gc-insight.js');
          if (printing === 'roots') {
            const roots = await withSession(world, { ...options, dryRun: true }, (session) => gcRoots(session), { access: 'read' });
            if (options.json) world.stdout.write(`${JSON.stringify({ roots })}\n`);
            else for (const { link, storePath } of roots) world.stdout.write(`${link} -> ${storePath}\n`);
            return;
          }
          const paths = await withSession(world, { ...options, dryRun: true }, (session) => listGarbage(session, printing, maxFreed), { access: 'read' });
          if (options.json) world.stdout.write(`${JSON.stringify({ [printing]: paths })}\n`);
          else for (const path of paths) world.stdout.write(`${path}\n`);
          return;
        }
        const { runGarbageCollection } = await import('../../app/gc/gc-use-cases.js');
        const { applyRetentionToEveryProfile } = await import('../../app/gc/gc-retention.js');
        const dryRun = options.dryRun === true;
        const policy = retentionArgs(options.keep, options.keepSince);
        const { retention, outcome } = await withSession(world, options, async (session) => {
          const retention = policy.length > 0 ? await applyRetentionToEveryProfile(session, policy, { dryRun }) : null;
          const outcome = await runGarbageCollection(session, {
            dryRun,
            deleteUnknown: options.deleteUnknown === true,
            ...(maxFreed === undefined ? {} : { maxFreed }),
            // A real run removed the links already; a preview counts them as gone.
            ...(dryRun && retention !== null ? { removedRoots: retention.removedLinks } : {}),
          });
          return { retention: retention?.applied ?? [], outcome };
        }, { access: 'write' });
        if (options.json) {
          const { deleted, bytes: bytesFreed, removedInterrupted, removedTemporary, removedUnknown, unknown } = outcome;
          const generations = policy.length > 0 ? { generationsDeleted: retention } : {};
          world.stdout.write(`${JSON.stringify({ dryRun, deleted, bytesFreed, removedInterrupted, removedTemporary, removedUnknown, unknown, ...generations })}\n`);
          return;
        }
        const verb = dryRun ? 'would delete' : 'deleted';
        for (const { profile, deleted } of retention) {
          if (deleted.length > 0 && !options.quiet) world.stderr.write(`${verb} generations ${deleted.join(', ')} of profile '${profile}'\n`);
        }
        const { gcReport } = await import('../render/gc-report.js');
        const report = gcReport(outcome);
        for (const line of report.lines) world.stdout.write(`${line}\n`);
        if (!options.quiet) for (const line of report.summary) world.stderr.write(`${line}\n`);
      }),
    );

  const root = program.command('root').description('GC roots: list them, register (indirect) ones');
  root
    .command('list')
    .description('every GC root, what it points at, its closure size and the bytes only it keeps alive')
    .action(
      action<object, []>(context, async ({ world, options }) => {
        const { withSession } = await import('../../app/session/session.js');
        const { listRootSizes } = await import('../../app/gc/root-list.js');
        const roots = await withSession(world, { ...options, dryRun: true }, (session) => listRootSizes(session), { access: 'read' });
        if (options.json) {
          world.stdout.write(`${JSON.stringify({ roots })}\n`);
          return;
        }
        for (const { link, storePath, closureSize, exclusiveSize } of roots) {
          world.stdout.write(`${link} -> ${storePath}\tclosure ${sizeText(closureSize)}\tonly this root ${sizeText(exclusiveSize)}\n`);
        }
      }),
    );
  root
    .command('add')
    .description('keep the store path LINK points at alive')
    .argument('<link>')
    .action(
      action<object, [string]>(context, async ({ world, options }, link) => {
        const { withSession } = await import('../../app/session/session.js');
        const { addRoot } = await import('../../app/gc/gc-use-cases.js');
        const target = await withSession(world, options, (session) => addRoot(session, link), { access: 'write' });
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
        await withSession(world, options, (session) => removeRoot(session, link), { access: 'write' });
      }),
    );
}
