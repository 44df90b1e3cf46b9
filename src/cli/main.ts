/**
 * The process entry of the CLI: build the real World, run, exit with the
 * documented status. A closed stdout pipe (`genledger log | head`) is a
 * normal end, not an error. Ctrl-C and SIGTERM stop the command at its
 * next safe point (stop-signals.ts).
 */
import { newInterruption } from '../interruption.js';
import { createProcessWorld } from './process-world.js';
import { runCli } from './run-cli.js';
import { listenForStopSignals } from './stop-signals.js';

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const argv = process.argv.slice(2);
const interruption = newInterruption();
listenForStopSignals(interruption, process.stderr);
void runCli(argv, { ...createProcessWorld(argv), interruption }).then((status) => {
  process.exitCode = status;
});
