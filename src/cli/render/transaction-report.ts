/**
 * How a mutating command reports: the plan under --dry-run (events and file
 * operations, as text or JSON on stdout, and what the packages would
 * become), otherwise on stderr where the profile now stands and a short
 * summary of what changed in it: priorities, packages with their versions,
 * the closure size (silent with --quiet).
 */
import type { TransactionOutcome } from '../../app/profile/profile-transaction.js';
import { manifestChanges } from '../../domain/manifest-changes.js';
import { emptyManifest, findElement } from '../../domain/profile-manifest.js';
import { currentGeneration } from '../../domain/profile-state.js';
import type { ClosureDiff } from '../../projection/closure-diff.js';
import { describeFsOp } from '../../projection/fs-op.js';
import type { World } from '../../world.js';
import { changeSummaryLines } from './closure-changes.js';

export interface ReportFlags {
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly dryRun?: boolean;
}

/** `changes`: the closure diff of the current generation before and after, when the command changed something. */
export function reportTransaction(world: World, profile: string, outcome: TransactionOutcome, flags: ReportFlags, changes?: ClosureDiff): void {
  for (const warning of outcome.warnings) world.stderr.write(`genledger: warning: ${warning}\n`);
  if (flags.dryRun) {
    if (flags.json) {
      const events = outcome.events.map(({ type, v, data }) => ({ type, v, data }));
      world.stdout.write(`${JSON.stringify({ dryRun: true, events, operations: outcome.ops, ...(changes === undefined ? {} : { changes }) })}\n`);
      return;
    }
    if (outcome.events.length === 0) world.stdout.write('nothing to do\n');
    for (const event of outcome.events) world.stdout.write(`would append ${event.type}\n`);
    for (const op of outcome.ops) world.stdout.write(`would ${describeFsOp(op)}\n`);
    for (const line of changes === undefined ? [] : changeSummaryLines(changes, 'planned', '')) world.stdout.write(`${line}\n`);
    return;
  }
  if (flags.json) {
    world.stdout.write(`${JSON.stringify({ profile, generation: outcome.after.current, events: outcome.events.map((e) => e.type), ...(changes === undefined ? {} : { changes }) })}\n`);
    return;
  }
  if (flags.quiet) return;
  if (outcome.events.length === 0) world.stderr.write(`genledger: nothing to do; profile '${profile}' stays at generation ${outcome.after.current ?? 'none'}\n`);
  else if (outcome.before.current !== outcome.after.current) {
    world.stderr.write(`genledger: switching profile '${profile}' from generation ${outcome.before.current ?? 'none'} to ${outcome.after.current}\n`);
  }
  for (const line of priorityLines(outcome)) world.stderr.write(`  ${line}\n`);
  for (const line of changes === undefined ? [] : changeSummaryLines(changes, 'done', '  ')) world.stderr.write(`${line}\n`);
}

/** `priority of hello 5 -> 4` for each element that kept its store paths and changed priority: a closure diff cannot show it. */
function priorityLines({ before, after }: TransactionOutcome): string[] {
  const from = currentGeneration(before)?.manifest ?? emptyManifest;
  const to = currentGeneration(after)?.manifest ?? emptyManifest;
  return manifestChanges(from, to)
    .filter((change) => change.change === 'priority')
    .map((change) => `priority of ${change.name} ${findElement(from, change.name)?.priority} -> ${findElement(to, change.name)?.priority}`);
}
