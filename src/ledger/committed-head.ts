/**
 * The database's log against the committed head (ledger-head-file.ts).
 * Equal: all is well. The database behind the head file, or holding
 * another entry at its seq: committed events were lost (a lost, truncated
 * or damaged LevelDB log), which nothing but `recover` may touch. The
 * database ahead, with the head file's entry in place: the events beyond
 * were never committed, and `discardUncommitted` removes exactly them
 * (events, log entries, id records) and puts the stream heads and the log
 * head back where the committed ledger had them, in one synced batch.
 */
import { integrityError } from '../errors.js';
import { canonicalJson } from './canonical-json.js';
import type { CommittedHead } from './ledger-head-file.js';
import { keys, ledgerSpace } from './ledger-keys.js';
import type { LevelDatabase } from './ledger-keys.js';
import { corruptLog, decodeEvent, decodeLogHead } from './ledger-records.js';
import { RECOVER_HINT, guarded } from './level-errors.js';
import { logEntryProblem } from './log-entry.js';
import type { LogEntry } from './log-entry.js';

export type HeadComparison =
  | { readonly kind: 'committed'; readonly seq: number }
  | { readonly kind: 'truncated'; readonly committed: CommittedHead; readonly held: number }
  | { readonly kind: 'diverged'; readonly committed: CommittedHead; readonly held: number }
  | { readonly kind: 'uncommitted'; readonly committed: CommittedHead; readonly held: number };

/** The database's log head (seq and hash), or the empty head. */
export function databaseHead(db: LevelDatabase): Promise<CommittedHead> {
  return guarded('read the log head', async () => decodeLogHead(await ledgerSpace(db).get(keys.logHead)) ?? { seq: 0, hash: null });
}

export async function compareWithHeadFile(db: LevelDatabase, committed: CommittedHead): Promise<HeadComparison> {
  const held = (await databaseHead(db)).seq;
  if (held < committed.seq) return { kind: 'truncated', committed, held };
  if (committed.seq > 0) {
    const text = await guarded('read the log', () => ledgerSpace(db).get(keys.log(committed.seq)));
    if (logEntryAt(text, committed.seq)?.hash !== committed.hash) return { kind: 'diverged', committed, held };
  }
  return held === committed.seq ? { kind: 'committed', seq: held } : { kind: 'uncommitted', committed, held };
}

/** The refusal for a database that lost committed events. */
export function lostEventsError(comparison: HeadComparison & { kind: 'truncated' | 'diverged' }): Error {
  const { committed, held } = comparison;
  const message =
    comparison.kind === 'truncated'
      ? `the ledger had ${committed.seq} events (head file), the database holds ${held}: ${committed.seq - held} committed ${committed.seq - held === 1 ? "event is" : "events are"} missing`
      : `the database's log entry ${committed.seq} is not the one the ledger head file names: the database lost or changed committed events`;
  return integrityError('GENLEDGER_LEDGER_TRUNCATED', message, RECOVER_HINT);
}

/** Removes every event beyond `committed`, in one synced batch; returns how many. */
export function discardUncommitted(db: LevelDatabase, committed: CommittedHead): Promise<number> {
  const space = ledgerSpace(db);
  return guarded('discard the uncommitted events', async () => {
    const entries: LogEntry[] = [];
    for await (const [, text] of space.iterator({ gt: keys.log(committed.seq), lte: keys.log(Number.MAX_SAFE_INTEGER) })) {
      const entry = logEntryAt(text, committed.seq + entries.length + 1);
      if (entry === null) throw corruptLog(committed.seq + entries.length + 1, 'is damaged; cannot tell which events to discard');
      entries.push(entry);
    }
    if (entries.length === 0) return 0;
    const batch = db.batch();
    const lowest = new Map<string, number>();
    for (const entry of entries) {
      const place = { stream: entry.stream, version: entry.version };
      const event = decodeEvent(await space.get(keys.event(entry.stream, entry.version)), place);
      batch.del(keys.event(entry.stream, entry.version), { sublevel: space });
      batch.del(keys.log(entry.seq), { sublevel: space });
      batch.del(keys.id(event.id), { sublevel: space });
      lowest.set(entry.stream, Math.min(lowest.get(entry.stream) ?? entry.version, entry.version));
    }
    for (const [stream, version] of lowest) {
      if (version === 1) batch.del(keys.head(stream), { sublevel: space });
      else {
        const kept = decodeEvent(await space.get(keys.event(stream, version - 1)), { stream, version: version - 1 });
        batch.put(keys.head(stream), canonicalJson({ version: kept.version, hash: kept.hash }), { sublevel: space });
      }
    }
    if (committed.hash === null) batch.del(keys.logHead, { sublevel: space });
    else batch.put(keys.logHead, canonicalJson({ seq: committed.seq, hash: committed.hash }), { sublevel: space });
    await batch.write({ sync: true });
    return entries.length;
  });
}

function logEntryAt(text: string | undefined, seq: number): LogEntry | null {
  if (text === undefined) return null;
  try {
    const value = JSON.parse(text) as unknown;
    return logEntryProblem(value) === null && (value as LogEntry).seq === seq ? (value as LogEntry) : null;
  } catch {
    return null;
  }
}
