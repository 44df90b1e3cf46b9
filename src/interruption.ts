/**
 * A request to stop the command (Ctrl-C, SIGTERM) and what the command was
 * doing when it came. The CLI entry alone listens for the signals and sets
 * `signal`; the library only reads it at its safe points (`stopPoint`),
 * between atomic steps, so an append or a link swap is never cut half way.
 * `doing` and `pending` are kept up to date by the command so that the one
 * line reporting the interruption can say what stopped and what the next
 * command finishes: everything is crash-safe, so stopping only ever leaves
 * recorded events for the next command's catch-up to project.
 */

export type StopSignal = 'SIGINT' | 'SIGTERM';

export interface Interruption {
  /** The first stop signal received, or null. */
  signal: StopSignal | null;
  /** What the command is doing, for the report ("writing the tree of generation 7 of profile 'default'"); empty before any step. */
  doing: string;
  /** Events are recorded whose projection is not finished yet (this command appended, or it is catching up). */
  pending: boolean;
  /** What finishes the pending work: any next command's catch-up, or a given one (an interrupted gc is finished by the next gc). */
  finishedBy: string;
}

export const anyNextCommand = 'the next genledger command';

export function newInterruption(): Interruption {
  return { signal: null, doing: '', pending: false, finishedBy: anyNextCommand };
}

/** The conventional status of a process stopped by `signal`: 128 + its number. */
export function interruptedExitCode(signal: StopSignal): number {
  return signal === 'SIGINT' ? 130 : 143;
}

export class Interrupted extends Error {
  override readonly name = 'Interrupted';

  constructor(readonly signal: StopSignal) {
    super(`interrupted by ${signal}`);
  }
}

/**
 * A safe point: stops the command with `Interrupted` if a stop signal
 * came. A signal reaches its handler only when the event loop polls for
 * I/O, never while synchronous work runs; the first immediate may run
 * before the loop polls again, the second runs after it, so a signal that
 * arrived before this point is seen. Without an interruption (the library
 * used on its own, tests in process) it does nothing.
 */
export async function stopPoint(interruption: Interruption | undefined): Promise<void> {
  if (interruption === undefined) return;
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
  if (interruption.signal !== null) throw new Interrupted(interruption.signal);
}

/** The one line that reports an interruption: what stopped, and what the next command finishes. */
export function interruptionReport(interruption: Interruption): string {
  const what = interruption.doing === '' ? 'interrupted' : `interrupted while ${interruption.doing}`;
  return interruption.pending
    ? `${what}; the event is recorded, ${interruption.finishedBy} finishes it`
    : `${what}, before anything was recorded; nothing changed`;
}

/** How often a loop over many small items looks for a stop signal (`throttledStopPoint`). */
export const stopCheckIntervalMs = 50;

/**
 * A safe point for a loop over many small items (records, trees, paths), to
 * be called between two of them: a full `stopPoint` costs two turns of the
 * event loop, about 25 µs, which is a tenth of forgetting a dead record, so
 * it is taken at most every `stopCheckIntervalMs`, and in between only the
 * signal already seen is checked. The first call always takes it, so a
 * signal that came before the loop stops it after its first item. A stop
 * therefore comes at most that long after the signal, never inside an item.
 */
export function throttledStopPoint(interruption: Interruption | undefined): () => Promise<void> {
  let last = Number.NEGATIVE_INFINITY;
  return async () => {
    if (interruption === undefined) return;
    if (interruption.signal !== null) throw new Interrupted(interruption.signal);
    if (performance.now() - last < stopCheckIntervalMs) return;
    await stopPoint(interruption);
    last = performance.now();
  };
}
