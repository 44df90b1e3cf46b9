/**
 * The commander wiring of the whole CLI surface (DESIGN.md). Each command
 * group lives in `commands/`; their actions import the app layer lazily so
 * `genledger --version` loads neither LevelDB nor the store. Subcommands
 * inherit exitOverride and the output settings from the program.
 */
import { Command } from 'commander';
import type { World } from '../world.js';
import { registerBundleCommands } from './commands/bundle-commands.js';
import { registerCompletionCommands } from './commands/completion-commands.js';
import { registerKeyCommands } from './commands/key-commands.js';
import { registerLedgerCommands } from './commands/ledger-commands.js';
import { registerFleetCommands } from './commands/fleet-commands.js';
import { registerGcCommands } from './commands/gc-commands.js';
import { registerHomeCommands } from './commands/home-commands.js';
import { registerProfileCommands } from './commands/profile-commands.js';
import { registerProvenanceCommands } from './commands/provenance-commands.js';
import { registerRecoverCommand } from './commands/recover-command.js';
import { registerReportCommand } from './commands/report-command.js';
import { registerQuarantineCommands } from './commands/quarantine-commands.js';
import { registerStoreCommands } from './commands/store-commands.js';
import { registerSystemCommands } from './commands/system-commands.js';
import { registerSwitchProfileCommand } from './commands/switch-profile-command.js';
import { addCommandHelp } from './command-help.js';
import { addGlobalOptions } from './global-options.js';
import { addHelpCommand } from './help-command.js';
import type { SetExitCode } from './invocation.js';
import { addVersionOption } from './version-option.js';

export function buildProgram(world: World, setExitCode: SetExitCode): Command {
  const program = addVersionOption(new Command('genledger'), world)
    .description('Nix-style profiles as an event-sourced generation ledger')
    .showHelpAfterError('(run genledger --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => world.stdout.write(text),
      writeErr: (text) => world.stderr.write(text),
      outputError: (text, write) => write(text.replace(/^error: /, 'genledger: ')),
    });
  addGlobalOptions(program);
  const context = { world, setExitCode };
  registerStoreCommands(program, context);
  registerProfileCommands(program, context);
  registerGcCommands(program, context);
  registerLedgerCommands(program, context);
  registerProvenanceCommands(program, context);
  registerKeyCommands(program, context);
  registerBundleCommands(program, context);
  registerQuarantineCommands(program, context);
  registerSystemCommands(program, context);
  registerHomeCommands(program, context);
  registerRecoverCommand(program, context);
  registerReportCommand(program, context);
  registerSwitchProfileCommand(program, context);
  registerCompletionCommands(program, context);
  registerFleetCommands(program, context);
  addCommandHelp(program);
  addHelpCommand(program);
  return program;
}
