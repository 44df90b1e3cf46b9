/**
 * The seals of the global log as recomputed while reading it: what
 * `recover` compares with the ledger head file (ledger/ledger-head-file.ts)
 * to say whether a database holds the whole ledger and how much is gone.
 */
import type { Ledger } from '../../ledger/ledger.js';
import { logEntryHash } from '../../ledger/log-entry.js';
import type { LogHead } from '../../ledger/log-entry.js';

/**
 * The seals of the global log, read through the ledger (which checks every
 * entry and chain link as it reads): the head, and the entry at `seq` when
 * the log reaches it.
 */
export async function logSeals(ledger: Ledger, seq: number | null): Promise<{ head: LogHead | null; at: LogHead | null }> {
  let prev: string | null = null;
  let head: LogHead | null = null;
  let at: LogHead | null = null;
  for await (const record of ledger.readLog({ upcast: false })) {
    const { event } = record;
    prev = logEntryHash({ seq: record.seq, stream: event.stream, version: event.version, eventHash: event.hash, prev });
    head = { seq: record.seq, hash: prev };
    if (record.seq === seq) at = head;
  }
  return { head, at };
}
