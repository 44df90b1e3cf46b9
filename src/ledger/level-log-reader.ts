/**
 * Reading the global log in order, re-checking as it goes: every entry is
 * present (seq without gaps up to the log head), sealed and chained to the
 * entry before it, and names an event that is present and has the hash the
 * entry recorded. The first problem throws; nothing is skipped. Point
 * reads (`readLogRecordsAt`) check the same of each entry they read,
 * except its chain link, which needs the entry before it.
 */
import type { StoredEvent } from './event.js';
import type { LogRecord } from './ledger.js';
import { keys, parseLogKey } from './ledger-keys.js';
import type { LedgerSpace } from './ledger-keys.js';
import { corruptLog, decodeEvent, decodeLogEntry, decodeLogHead, describePlace } from './ledger-records.js';
import { guarded } from './level-errors.js';
import type { LogEntry } from './log-entry.js';
import type { Upcast } from './upcasting.js';

export interface LogReadPlan {
  fromSeq: number;
  untilSeq: number | undefined;
  untilMs: number | undefined;
  upcast: Upcast | undefined;
}

const BATCH = 512;

export async function* readLogRecords(space: LedgerSpace, plan: LogReadPlan): AsyncGenerator<LogRecord> {
  const logHead = decodeLogHead(await guarded('read the log head', () => space.get(keys.logHead)));
  const lastSeq = Math.min(logHead?.seq ?? 0, plan.untilSeq ?? Number.POSITIVE_INFINITY);
  if (lastSeq < plan.fromSeq) return;
  const iterator = space.iterator({ gte: keys.log(plan.fromSeq), lte: keys.log(lastSeq) });
  const cutStreams = new Set<string>();
  let expected = plan.fromSeq;
  let previous: LogEntry | undefined;
  try {
    for (;;) {
      const batch = await guarded('read the log', () => iterator.nextv(BATCH));
      if (batch.length === 0) break;
      const entries = batch.map(([key, text]) => {
        if (parseLogKey(key) !== expected) throw corruptLog(expected, 'is missing');
        const entry = decodeLogEntry(text, expected);
        if (previous !== undefined && entry.prev !== previous.hash) throw corruptLog(entry.seq, 'does not chain to the entry before it');
        previous = entry;
        expected += 1;
        return entry;
      });
      const texts = await guarded('read the log', () => space.getMany(entries.map((entry) => keys.event(entry.stream, entry.version))));
      for (const [index, entry] of entries.entries()) {
        const event = eventOf(entry, texts[index]);
        if (plan.untilMs !== undefined) {
          if (cutStreams.has(entry.stream)) continue;
          if (Date.parse(event.at) > plan.untilMs) {
            cutStreams.add(entry.stream);
            continue;
          }
        }
        yield { seq: entry.seq, event: plan.upcast === undefined ? event : plan.upcast(event) };
      }
    }
    if (expected <= lastSeq) throw corruptLog(expected, 'is missing');
    if (logHead !== null && lastSeq === logHead.seq && previous !== undefined && previous.hash !== logHead.hash) {
      throw corruptLog(lastSeq, 'is not the entry the log head names');
    }
  } finally {
    await iterator.close();
  }
}

/** The records at `seqs`, in that order; null beyond the log head. Two reads, however many seqs. */
export async function readLogRecordsAt(space: LedgerSpace, seqs: readonly number[], upcast: Upcast | undefined): Promise<(LogRecord | null)[]> {
  const [headText, ...entryTexts] = await guarded('read the log', () => space.getMany([keys.logHead, ...seqs.map((seq) => keys.log(seq))]));
  const logHead = decodeLogHead(headText);
  const lastSeq = logHead?.seq ?? 0;
  const entries = seqs.flatMap((seq, index) => (seq <= lastSeq ? [decodeLogEntry(entryTexts[index], seq)] : []));
  const last = entries.find((entry) => entry.seq === lastSeq);
  if (last !== undefined && last.hash !== logHead?.hash) throw corruptLog(lastSeq, 'is not the entry the log head names');
  const eventTexts = await guarded('read the log', () => space.getMany(entries.map((entry) => keys.event(entry.stream, entry.version))));
  const records = new Map<number, LogRecord>();
  entries.forEach((entry, index) => {
    const event = eventOf(entry, eventTexts[index]);
    records.set(entry.seq, { seq: entry.seq, event: upcast === undefined ? event : upcast(event) });
  });
  return seqs.map((seq) => records.get(seq) ?? null);
}

/** The event a log entry names, decoded and checked to be the one the entry sealed. */
function eventOf(entry: LogEntry, text: string | undefined): StoredEvent {
  const event = decodeEvent(text, { stream: entry.stream, version: entry.version, seq: entry.seq });
  if (event.hash !== entry.eventHash) throw corruptLog(entry.seq, `names ${describePlace(entry)} by a hash it does not have`);
  return event;
}
