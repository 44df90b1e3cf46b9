/**
 * `genledger relocate`: accept a home at its new place after a move.
 */
import type { Command } from 'commander';
import { action } from '../invocation.js';
import type { CliContext } from '../invocation.js';

export function registerHomeCommands(program: Command, context: CliContext): void {
  program
    .command('relocate')
    .description('record that this home was moved here (only for a home whose store lies outside it)')
    .action(
      action<object, []>(context, async ({ world, options }) => {
        const { withSession } = await import('../../app/session/session.js');
        const { relocateHome } = await import('../../app/home/relocate-home.js');
        const result = await withSession(world, options, relocateHome, { access: 'write', project: false, check: 'relocate' });
        if (options.json) world.stdout.write(`${JSON.stringify(result)}\n`);
        else if (!options.quiet) world.stdout.write(result.moved ? `relocated this home from ${result.from} to ${result.to}\n` : `this home is already recorded at ${result.to}\n`);
      }),
    );
}
