/**
 * Runs one CLI invocation against a World and returns its exit status.
 * Commander's own usage errors become exit 2 (its default is 1), and so does
 * the usage it prints for a command group given without a subcommand; help
 * and --version are 0; a command stopped by a signal (or failing once
 * one came: a Nix child got the Ctrl-C too) is reported in one line and
 * exits 130 (SIGINT) or 143 (SIGTERM); every other failure goes through
 * `reportError`.
 */
import { CommanderError } from 'commander';
import { ExitCode } from '../errors.js';
import { interruptedExitCode, interruptionReport } from '../interruption.js';
import type { World } from '../world.js';
import { reportError } from './error-report.js';
import { buildProgram } from './program.js';

export async function runCli(argv: readonly string[], world: World): Promise<number> {
  const status = { code: ExitCode.ok as number };
  const program = buildProgram(world, (code) => {
    status.code = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return status.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || (error.code === 'commander.help' && error.exitCode === 0)) {
        return ExitCode.ok;
      }
      return ExitCode.usage;
    }
    const wantsJson = argv.includes('--json');
    const interruption = world.interruption;
    if (interruption !== undefined && interruption.signal !== null) {
      const report = interruptionReport(interruption);
      world.stderr.write(wantsJson ? `${JSON.stringify({ error: { code: 'GENLEDGER_INTERRUPTED', message: report } })}\n` : `genledger: ${report}\n`);
      return interruptedExitCode(interruption.signal);
    }
    return reportError(error, world.stderr, { json: wantsJson, debug: argv.includes('--debug') });
  }
}
