/**
 * Where a profile's generations came from and who put a package there:
 * `import-nix LINK` takes over a profile Nix made, `adopt` records changes
 * made outside genledger, `blame NAME` answers who installed what the
 * profile holds now. Output shapes are documented in the README.
 */
import type { Command } from 'commander';
import type { BlameReport } from '../../app/provenance/blame.js';
import type { ImportOutcome } from '../../app/nix-import/nix-profile-import.js';
import { systemProfileName } from '../../app/profile/profile-location.js';
import { parseDrvName, storePathName } from '../../projection/drv-name.js';
import { describeFsOp } from '../../projection/fs-op.js';
import type { Output, World } from '../../world.js';
import type { GlobalOptions } from '../../app/session/session-options.js';
import { action } from '../invocation.js';
import type { CliContext } from '../invocation.js';
import { actorText } from '../render/actor-text.js';
import { reportAdoption } from '../render/adoption-report.js';
import { escapedText, reasonText } from '../render/reason-text.js';
import { adoptSystemCommand } from './system-adopt-command.js';

export function registerProvenanceCommands(program: Command, context: CliContext): void {
  program
    .command('import-nix')
    .description("take over a Nix profile's generations (nix-env or nix profile): into a new profile, or in place with --store nix")
    .argument('<link>', 'the profile link, e.g. /nix/var/nix/profiles/per-user/root/profile')
    .option('--as <profile>', "the profile to create (default: the link's name, under <home>/profiles)")
    .option('--dry-run', 'print the planned copies, events and file operations; change nothing')
    .action(
      action<{ as?: string; dryRun?: boolean }, [string]>(context, async ({ world, options }, link) => {
        const { withSession } = await import('../../app/session/session.js');
        const { importNixProfile } = await import('../../app/nix-import/nix-profile-import.js');
        const outcome = await withSession(world, options, (session) =>
          importNixProfile(session, link, { dryRun: options.dryRun === true, ...(options.as === undefined ? {} : { as: options.as }) }),
          { access: 'write' },
        );
        reportImport(world, options, outcome);
      }),
    );

  program
    .command('adopt')
    .description('record what was changed in a profile outside genledger (drift), so the ledger matches the disk')
    .option('--dry-run', 'print what was found and the planned events and file operations; change nothing')
    .action(
      action<{ dryRun?: boolean }, []>(context, async ({ world, options }) => {
        const { withSession } = await import('../../app/session/session.js');
        const { checkProfileOwner } = await import('../../app/profile/profile-location.js');
        const { sessionProfile } = await import('../../app/profile/session-profile.js');
        const { adoptExternalChange } = await import('../../app/profile/external-change.js');
        if (options.profile === systemProfileName) return adoptSystemCommand(world, options);
        const { stream, outcome } = await withSession(world, options, async (session) => {
          const location = sessionProfile(session, options.profile, options.dryRun === true ? 'read' : 'change');
          checkProfileOwner(location, world.actor, session.nix?.stateDir ?? null);
          return { stream: location.stream, outcome: await adoptExternalChange(session, location, { dryRun: options.dryRun === true }) };
          // Catching up first would re-link what was changed by hand before adopt could read it.
        }, { access: 'write', project: false });
        reportAdoption(world, options, { profile: stream, ...outcome, generation: outcome.after.current, described: outcome.ops.map(describeFsOp) });
      }),
    );

  program
    .command('blame')
    .description('who installed the current version of a package, when, how and why, and its history')
    .argument('<name>', 'the package (element) name, as profile list shows it')
    .action(
      action<object, [string]>(context, async ({ world, options }, name) => {
        const { withSession } = await import('../../app/session/session.js');
        const { sessionProfile } = await import('../../app/profile/session-profile.js');
        const { blame } = await import('../../app/provenance/blame.js');
        const report = await withSession(world, options, (session) => blame(session, sessionProfile(session, options.profile).stream, name), { access: 'read' });
        if (options.json) world.stdout.write(`${JSON.stringify(report)}\n`);
        else world.stdout.write(renderBlame(report, world.stdout));
      }),
    );
}

function reportImport(world: World, options: GlobalOptions & { dryRun?: boolean }, outcome: ImportOutcome): void {
  const { location, source, events, generations, gaps, copies, ops, after } = outcome;
  if (options.dryRun) {
    if (options.json) {
      const planned = events.map(({ type, v, at, actor, data }) => ({ type, v, at, actor, data }));
      world.stdout.write(`${JSON.stringify({ dryRun: true, profile: location.stream, source, events: planned, copies: copies.map((copy) => copy.path), operations: ops })}\n`);
      return;
    }
    for (const copy of copies) world.stdout.write(`would copy ${copy.path}\n`);
    for (const event of events) world.stdout.write(`would append ${event.type} (${event.at})\n`);
    for (const op of ops) world.stdout.write(`would ${describeFsOp(op)}\n`);
    return;
  }
  if (options.json) {
    const shape = { profile: location.stream, source, generation: after.current, generations, gaps, copied: copies.map((copy) => copy.path), events: events.map((event) => event.type) };
    world.stdout.write(`${JSON.stringify(shape)}\n`);
    return;
  }
  if (options.quiet) return;
  world.stderr.write(`genledger: imported ${generations.length} generations of ${source} into profile '${location.stream}' at generation ${after.current ?? 'none'} (${copies.length} store paths copied)\n`);
}

function renderBlame(report: BlameReport, output: Output): string {
  const lines: string[] = [];
  const where = `generation ${report.generation ?? 'none'} of profile '${report.profile}'`;
  if (report.current !== null) {
    lines.push(`${report.name} ${versionsOf(report.current.storePaths)} in ${where}`, `${report.current.change} in generation ${report.current.generation} by ${actorText(report.current.actor)} at ${report.current.at}`);
    if (report.current.command !== null) lines.push(`  $ ${escapedText(report.current.command.join(' '))}`);
    if (report.current.reason !== null) lines.push(`  reason: ${reasonText(report.current.reason, output, 10)}`);
  } else {
    const removal = report.removedBy === null ? '' : `; removed in generation ${report.removedBy.generation} by ${actorText(report.removedBy.actor)} at ${report.removedBy.at}`;
    lines.push(`${report.name} is not in ${where}${removal}`);
  }
  lines.push('history, newest first:');
  for (const entry of report.history) {
    const version = entry.change === 'priority' ? '' : ` ${versionsOf(entry.storePaths)}`;
    const line = `  ${entry.at}  seq ${entry.seq}  generation ${entry.generation}  ${entry.change}${version}  by ${actorText(entry.actor)}`;
    lines.push(entry.reason === null ? line : `${line}: ${reasonText(entry.reason, output, line.length + 2)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The versions of a package's store paths (DrvName), or its paths when they carry none. */
function versionsOf(storePaths: readonly string[]): string {
  const versions = [...new Set(storePaths.map((path) => parseDrvName(storePathName(path)).version).filter((version) => version !== ''))];
  return versions.length > 0 ? versions.join(', ') : storePaths.join(' ');
}
