/**
 * `genledger system status`, `system list-generations` and `system diff`:
 * read commands, each with a documented --json shape. The text of
 * list-generations is byte for byte what `nix-env --list-generations -p
 * <home>/profiles/system` prints, as `profile list-generations` is for a
 * profile; diff prints closure changes as `profile diff` does.
 */
import type { Command } from 'commander';
import type { SystemPointer, SystemStatusView } from '../../app/system/system-queries.js';
import type { Session } from '../../app/session/session-context.js';
import type { SystemProfileState } from '../../domain/system-profile.js';
import { action } from '../invocation.js';
import type { CliContext, Invocation } from '../invocation.js';
import { localTimeOf } from '../render/local-time.js';
import { wholeNumber } from './whole-number.js';

async function withSystemState<T>({ world, options }: Invocation<object>, run: (session: Session, state: SystemProfileState) => T): Promise<T> {
  const { withSession } = await import('../../app/session/session.js');
  const { loadSystemState } = await import('../../app/system/system-stream.js');
  return withSession(world, options, async (session) => run(session, await loadSystemState(session.ledger)), { access: 'read' });
}

export function registerSystemReadCommands(system: Command, context: CliContext): void {
  system
    .command('status')
    .description('what booted, what runs and what boots next; where they differ, and why')
    .action(
      action<object, []>(context, async (invocation) => {
        const { systemStatusOnRoot } = await import('../../app/system/system-queries.js');
        const view = await withSystemState(invocation, (session, state) => systemStatusOnRoot(session, state));
        const { world, options } = invocation;
        world.stdout.write(options.json ? `${JSON.stringify(view)}\n` : statusText(view));
      }),
    );

  system
    .command('list-generations')
    .description('the system generations, as nix-env --list-generations -p <home>/profiles/system')
    .action(
      action<object, []>(context, async (invocation) => {
        const { systemGenerations } = await import('../../app/system/system-queries.js');
        const { formatListGenerations } = await import('../../domain/list-generations-format.js');
        const { systemGenerationSummaries } = await import('../../domain/system-profile.js');
        const { world, options } = invocation;
        const text = await withSystemState(invocation, async (session, state) =>
          options.json
            ? `${JSON.stringify({ profile: 'system', generations: await systemGenerations(session, state) })}\n`
            : formatListGenerations(systemGenerationSummaries(state), state.machine.bootDefault, localTimeOf),
        );
        world.stdout.write(text);
      }),
    );

  system
    .command('diff')
    .description('closure changes (packages added, removed, upgraded, downgraded; sizes) between two system generations, as profile diff')
    .argument('<a>', 'a generation number, current (the boot default) or previous')
    .argument('[b]', 'the same; current when left out')
    .action(
      action<object, [string, string | undefined]>(context, async (invocation, a, b) => {
        const { diffSystemGenerations } = await import('../../app/system/system-diff.js');
        const { closureDiffLines } = await import('../render/closure-changes.js');
        const { world, options } = invocation;
        const view = await withSystemState(invocation, (session, state) =>
          diffSystemGenerations(session, state, generationArgument(a, 'generation A'), generationArgument(b ?? 'current', 'generation B')),
        );
        if (options.json) {
          world.stdout.write(`${JSON.stringify(view)}\n`);
          return;
        }
        if (view.fromPath !== view.toPath) world.stdout.write(`~ system ${view.fromPath} -> ${view.toPath}\n`);
        world.stdout.write(`${closureDiffLines(view.closure).join('\n')}\n`);
      }),
    );
}

function generationArgument(text: string, what: string): number | 'current' | 'previous' {
  return text === 'current' || text === 'previous' ? text : wholeNumber(text, what);
}

function statusText(view: SystemStatusView): string {
  const lines = [
    `boot default: ${describe(view.bootDefault)}`,
    `running:      ${view.running?.test ? `test activation of ${view.running.systemPath}` : describe(view.running)}`,
    `booted:       ${view.booted === null ? 'no reboot recorded' : describe(view.booted)}`,
    ...view.notes.map((note) => `note: ${note.message}`),
    ...(view.root === null ? [] : [`on ${view.root.dir}: run/current-system -> ${view.root.currentSystem ?? 'none'}, run/booted-system -> ${view.root.bootedSystem ?? 'none'}, ${view.root.bootEntries.length} boot entries`]),
  ];
  const last = view.lastActivation;
  if (last?.outcome.status === 'failed' && view.notes.some((note) => note.kind === 'activation-failed') && last.outcome.outputTail !== '') {
    lines.push('output of the failed activation (tail):', ...last.outcome.outputTail.replace(/\n$/, '').split('\n').map((line) => `  ${line}`));
  }
  return `${lines.join('\n')}\n`;
}

function describe(pointer: SystemPointer | null): string {
  if (pointer === null) return 'none';
  return pointer.generation === null ? pointer.systemPath : `generation ${pointer.generation} (${pointer.systemPath})`;
}
