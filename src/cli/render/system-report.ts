/**
 * How a mutating system command reports: the plan under --dry-run (events,
 * the activation that would run, file operations; text or JSON on stdout),
 * otherwise one line on stderr saying what boots and what runs now
 * (silent with --quiet), or with --json the outcome on stdout.
 */
import type { SystemOutcome, SystemRequest } from '../../app/system/system-use-cases.js';
import { generationPath, runningSystemPath } from '../../domain/system-profile.js';
import { describeRunning } from '../../domain/system-status.js';
import { describeSystemOp } from '../../projection/system-plan.js';
import type { World } from '../../world.js';
import type { ReportFlags } from './transaction-report.js';

export function reportSystemCommand(world: World, request: SystemRequest, outcome: SystemOutcome, flags: ReportFlags): void {
  if (flags.dryRun) return reportPlan(world, outcome, flags);
  const { after, activation } = outcome;
  if (flags.json) {
    const shape = {
      profile: 'system',
      generation: after.machine.bootDefault,
      running: runningSystemPath(after),
      events: outcome.events.map((event) => event.type),
      activation: activation === null ? null : { ...activation.planned, program: activation.program, ...activation.outcome },
    };
    world.stdout.write(`${JSON.stringify(shape)}\n`);
    return;
  }
  if (flags.quiet) return;
  if (activation?.outcome?.status === 'skipped' && activation.outcome.reason === 'no-script') {
    world.stderr.write(`genledger: ${activation.planned.systemPath} has no bin/switch-to-configuration: nothing to activate\n`);
  }
  if (activation?.outcome?.status === 'failed') return;
  world.stderr.write(`genledger: ${summary(request, outcome)}\n`);
}

function summary(request: SystemRequest, { before, after }: SystemOutcome): string {
  const bootDefault = after.machine.bootDefault;
  const bootPath = generationPath(after, bootDefault);
  switch (request.kind) {
    case 'switch':
      return `system generation ${bootDefault} (${bootPath}) boots and runs now`;
    case 'boot':
      return `system generation ${bootDefault} (${bootPath}) boots next; ${describeRunning(after.machine)} runs until 'genledger system reboot'`;
    case 'test': {
      const boots = bootDefault === null ? 'nothing is set to boot' : `generation ${bootDefault} still boots`;
      return `running a test activation of ${runningSystemPath(after)}; ${boots} (the test is lost at reboot)`;
    }
    case 'rollback':
    case 'switch-generation':
      return `switching system from generation ${before.machine.bootDefault} to ${bootDefault}`;
    case 'delete-generations': {
      const deleted = after.deletedGenerations.filter((number) => !before.deletedGenerations.includes(number));
      return deleted.length === 0 ? 'no system generation to delete' : `deleted ${deletedText(deleted)}`;
    }
    case 'reboot':
      return `rebooted into system generation ${bootDefault} (${bootPath})`;
  }
}

function reportPlan(world: World, outcome: SystemOutcome, flags: ReportFlags): void {
  const activation = outcome.activation;
  if (flags.json) {
    const events = outcome.events.map(({ type, v, data }) => ({ type, v, data }));
    const planned = activation === null ? null : { ...activation.planned, program: activation.program };
    world.stdout.write(`${JSON.stringify({ dryRun: true, events, activation: planned, operations: outcome.ops })}\n`);
    return;
  }
  for (const event of outcome.events) {
    world.stdout.write(`would append ${event.type}\n`);
    if (event.type === 'SystemGenerationsDeleted') world.stdout.write(`would delete ${deletedText((event.data as { generations: number[] }).generations)}\n`);
  }
  if (activation !== null) {
    const { action } = activation.planned;
    world.stdout.write(activation.program === null ? `would activate without running anything (${action})\n` : `would run ${activation.program} ${action}\n`);
    world.stdout.write('would append SystemActivated\n');
  }
  for (const op of outcome.ops) world.stdout.write(`would ${describeSystemOp(op)}\n`);
}

function deletedText(generations: readonly number[]): string {
  return `system generation${generations.length === 1 ? '' : 's'} ${generations.join(', ')}`;
}
