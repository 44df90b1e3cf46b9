/**
 * `fleet push --watch`: pushes, then watches the home's ledger head file
 * (ledger-head.json, rewritten by every committed append) and pushes again
 * whenever it changed, until a stop signal. Polling alone is correct: the
 * file is read before each push, so an append during a push is seen at the
 * next look. A fleet database that cannot be reached or drops the
 * connection is reported and tried again at the next interval (a push
 * resumes without gaps or duplicates); any other failure ends the watch.
 */
import { readFileSync } from 'node:fs';
import { isGenledgerError } from '../../errors.js';
import type { Interruption } from '../../interruption.js';
import type { PushResult } from './push-fleet.js';

export interface WatchOptions {
  readonly headFile: string;
  readonly intervalMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Where the stop signals land; without it (in process) the watch never ends by itself. */
  readonly interruption: Interruption | undefined;
  readonly pushed: (result: PushResult) => void;
  readonly failed: (message: string) => void;
}

/** How often the stop signal is looked at while waiting. */
const SLICE_MS = 100;

const retried = new Set(['GENLEDGER_FLEET_UNREACHABLE', 'GENLEDGER_FLEET_CONNECTION_LOST']);

/** Returns the number of pushes made when a stop signal ends the watch. */
export async function watchPush(push: () => Promise<PushResult>, options: WatchOptions): Promise<number> {
  let pushes = 0;
  let pushedAt: string | null | undefined;
  for (;;) {
    const head = headText(options.headFile);
    if (head !== pushedAt) {
      try {
        options.pushed(await push());
        pushes += 1;
        pushedAt = head;
      } catch (error) {
        if (!isGenledgerError(error) || !retried.has(error.code)) throw error;
        options.failed(error.message);
      }
    }
    for (let waited = 0; waited < options.intervalMs; waited += SLICE_MS) {
      if (options.interruption?.signal != null) return pushes;
      await options.sleep(Math.min(SLICE_MS, options.intervalMs - waited));
    }
    if (options.interruption?.signal != null) return pushes;
  }
}

function headText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
