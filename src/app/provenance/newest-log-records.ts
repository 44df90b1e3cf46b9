/**
 * `log -n N`: the newest N records a filter accepts, read from the end of
 * the log backwards, in windows that grow fourfold, instead of the whole
 * log from its first event. On a long log the newest events are a short
 * read; a filter that matches rarely reads further back, and at worst the
 * whole log once, as a forward read would.
 */
import type { Ledger, LogRecord } from '../../ledger/ledger.js';

const firstWindow = 64;

/** Oldest first, as `readLog` gives them; `untilSeq`: the newest seq to consider. */
export async function newestLogRecords(ledger: Ledger, count: number, keep: (record: LogRecord) => boolean, untilSeq?: number): Promise<LogRecord[]> {
  if (count === 0) return [];
  const windows: LogRecord[][] = [];
  let found = 0;
  let high = Math.min(untilSeq ?? Number.MAX_SAFE_INTEGER, await ledger.lastSeq());
  for (let size = Math.max(count, firstWindow); high >= 1 && found < count; size *= 4) {
    const low = Math.max(1, high - size + 1);
    const kept: LogRecord[] = [];
    for await (const record of ledger.readLog({ fromSeq: low, untilSeq: high })) if (keep(record)) kept.push(record);
    windows.unshift(kept);
    found += kept.length;
    high = low - 1;
  }
  return windows.flat().slice(-count);
}
