/**
 * SIGINT and SIGTERM in the CLI process. The first one is recorded for the
 * command to stop at its next safe point (interruption.ts) and clears the
 * progress line; the command then unwinds, closing the database, and
 * run-cli reports it. A second one ends the process at once with the same
 * report: that is as safe as a crash, which every step already survives.
 */
import type { Interruption, StopSignal } from '../interruption.js';
import { interruptedExitCode, interruptionReport } from '../interruption.js';

export function listenForStopSignals(interruption: Interruption, stderr: NodeJS.WriteStream): void {
  const onSignal = (signal: StopSignal) => {
    if (stderr.isTTY === true) stderr.write('\r\x1b[K');
    if (interruption.signal === null) {
      interruption.signal = signal;
      return;
    }
    stderr.write(`genledger: ${interruptionReport(interruption)}\n`);
    process.exit(interruptedExitCode(interruption.signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
