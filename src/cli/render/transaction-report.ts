/**
 * How a mutating command reports: the plan under --dry-run (events and file
 * operations, as text or JSON on stdout), otherwise one line on stderr
 * saying where the profile now stands (silent with --quiet).
 */
import type { TransactionOutcome } from '../../app/profile/profile-transaction.js';
import { describeFsOp } from '../../projection/fs-op.js';
import type { World } from '../../world.js';

export interface ReportFlags {
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly dryRun?: boolean;
}

export function reportTransaction(world: World, profile: string, outcome: TransactionOutcome, flags: ReportFlags): void {
  for (const warning of outcome.warnings) world.stderr.write(`genledger: warning: ${warning}\n`);
  if (flags.dryRun) {
    if (flags.json) {
      const events = outcome.events.map(({ type, v, data }) => ({ type, v, data }));
      world.stdout.write(`${JSON.stringify({ dryRun: true, events, operations: outcome.ops })}\n`);
      return;
    }
    if (outcome.events.length === 0) world.stdout.write('nothing to do\n');
    for (const event of outcome.events) world.stdout.write(`would append ${event.type}\n`);
    for (const op of outcome.ops) world.stdout.write(`would ${describeFsOp(op)}\n`);
    return;
  }
  if (flags.json) {
    world.stdout.write(`${JSON.stringify({ profile, generation: outcome.after.current, events: outcome.events.map((e) => e.type) })}\n`);
    return;
  }
  if (flags.quiet) return;
  if (outcome.events.length === 0) world.stderr.write(`genledger: nothing to do; profile '${profile}' stays at generation ${outcome.after.current ?? 'none'}\n`);
  else if (outcome.before.current !== outcome.after.current) {
    world.stderr.write(`genledger: switching profile '${profile}' from generation ${outcome.before.current ?? 'none'} to ${outcome.after.current}\n`);
  }
}
