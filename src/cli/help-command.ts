/**
 * `genledger help [command...]`: the help of a command at any depth
 * (`help profile list`). Commander's own help command looks only one name
 * deep, so `help A B` would show A's help instead of B's.
 */
import type { Command } from 'commander';
import { usageError } from '../errors.js';

export function addHelpCommand(program: Command): void {
  program.helpCommand(false);
  program
    .command('help')
    .argument('[command...]', 'a command, or a command group and its subcommand')
    .description('display help for command')
    .action((names: string[]) => {
      let target = program;
      for (const [depth, name] of names.entries()) {
        const next = target.commands.find((command) => command.name() === name || command.aliases().includes(name));
        if (next === undefined) {
          const known = target.commands.map((command) => command.name()).join(', ');
          throw usageError('GENLEDGER_UNKNOWN_COMMAND', `unknown command '${names.slice(0, depth + 1).join(' ')}'`, `the commands there: ${known}`);
        }
        target = next;
      }
      target.help();
    });
}
