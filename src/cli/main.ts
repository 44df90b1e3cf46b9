/**
 * The process entry of the CLI: build the real World, run, exit with the
 * documented status. A closed stdout pipe (`genledger log | head`) is a
 * normal end, not an error.
 */
import { createProcessWorld } from './process-world.js';
import { runCli } from './run-cli.js';

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const argv = process.argv.slice(2);
void runCli(argv, createProcessWorld(argv)).then((status) => {
  process.exitCode = status;
});
