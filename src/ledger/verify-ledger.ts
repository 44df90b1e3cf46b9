/**
 * `verifyLedger`: reads every ledger record raw and reports everything
 * wrong with it, instead of stopping at the first problem as the readers
 * do. On top of the per-stream checks (verify-events.ts) it walks the
 * global log: entries 1..N without gaps, each sealed and chained to the one
 * before, naming an existing event by its hash, every event exactly once
 * and each stream's events in version order, ending at the log head; and
 * it checks that every event id is indexed where the event is. Garbled
 * values become `corrupt` problems; only a failing database throws.
 */
import { guarded } from './level-errors.js';
import { keys, ledgerSpace, parseLogKey, ranges } from './ledger-keys.js';
import type { LedgerSpace, LevelDatabase } from './ledger-keys.js';
import { eventProblem, logProblem, sortProblems } from './ledger-problem.js';
import type { LedgerProblem, VerifyReport } from './ledger-problem.js';
import { decodeIdRecord, decodeLogHead } from './ledger-records.js';
import { logEntryHash, logEntryProblem } from './log-entry.js';
import type { LogEntry, LogHead } from './log-entry.js';
import type { PublicKey } from './nix-key.js';
import { sealHolds } from './stored-seal.js';
import { placeKey, scanEvents } from './verify-events.js';
import type { EventRecord } from './verify-events.js';

export interface VerifyOptions {
  /** with keys given, unsigned events and events signed by other keys are problems too */
  trustedKeys?: readonly PublicKey[];
}

export function verifyLedger(db: LevelDatabase, options: VerifyOptions = {}): Promise<VerifyReport> {
  const space = ledgerSpace(db);
  return guarded('verify the ledger', async () => {
    const scan = await scanEvents(space, options.trustedKeys ?? []);
    const log = await scanLog(space, scan.records);
    const index = await checkIdIndex(space, scan.records);
    const located = [...scan.problems, ...log.problems, ...index].map((problem) => {
      const seq = problem.stream === undefined || problem.version === undefined ? undefined : log.seqOf.get(placeKey(problem.stream, problem.version));
      return problem.seq === undefined && seq !== undefined ? { ...problem, seq } : problem;
    });
    const problems = sortProblems(located);
    return { ok: problems.length === 0, eventsChecked: scan.checked, problems, warnings: scan.warnings };
  });
}

async function scanLog(space: LedgerSpace, records: ReadonlyMap<string, EventRecord>): Promise<{ problems: LedgerProblem[]; seqOf: Map<string, number> }> {
  const problems: LedgerProblem[] = [];
  const seqOf = new Map<string, number>();
  const logVersions = new Map<string, number>();
  let expected = 1;
  let previous: LogEntry | undefined;
  for await (const [key, text] of space.iterator(ranges.log)) {
    const seq = parseLogKey(key);
    if (seq === null) {
      problems.push({ kind: 'corrupt', message: `the ledger key ${JSON.stringify(key)} is not a log key` });
      continue;
    }
    for (let missing = expected; missing < seq; missing++) problems.push(logProblem('missing', missing, 'is missing'));
    expected = seq + 1;
    const entry = parseEntry(seq, text, problems);
    const chained = previous !== undefined && previous.seq === seq - 1 ? previous.hash : seq === 1 ? null : undefined;
    previous = entry;
    if (entry === undefined) continue;
    if (chained !== undefined && entry.prev !== chained) problems.push(logProblem('log-chain', seq, 'does not chain to the entry before it'));
    const place = placeKey(entry.stream, entry.version);
    const record = records.get(place);
    const named = `event ${entry.version} of stream '${entry.stream}'`;
    const earlier = seqOf.get(place);
    if (earlier !== undefined) problems.push(logProblem('order', seq, `names ${named} again, after log entry ${earlier}`));
    else {
      seqOf.set(place, seq);
      if (record === undefined) problems.push(logProblem('missing', seq, `names ${named}, which is missing`));
      else if (record.status !== 'unusable' && record.hash !== entry.eventHash) problems.push(logProblem('log-chain', seq, `names ${named} by a hash it does not have`));
    }
    const logged = logVersions.get(entry.stream) ?? 0;
    if (entry.version !== logged + 1) problems.push(logProblem('order', seq, `names ${named} out of order, after version ${logged}`));
    logVersions.set(entry.stream, Math.max(logged, entry.version));
  }
  for (const record of records.values()) {
    if (!seqOf.has(placeKey(record.stream, record.version))) problems.push(eventProblem('missing', record.stream, record.version, 'is not in the global log'));
  }
  checkLogHead(await space.get(keys.logHead), expected - 1, previous, problems);
  return { problems, seqOf };
}

function parseEntry(seq: number, text: string, problems: LedgerProblem[]): LogEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    problems.push(logProblem('corrupt', seq, 'is not valid JSON'));
    return undefined;
  }
  const shape = logEntryProblem(value);
  if (shape !== null) {
    problems.push(logProblem('corrupt', seq, `is malformed: ${shape}`));
    return undefined;
  }
  const entry = value as LogEntry;
  if (entry.seq !== seq) {
    problems.push(logProblem('order', seq, `holds entry ${entry.seq} instead`));
    return undefined;
  }
  if (!sealHolds(text, entry.hash, undefined, () => logEntryHash(entry))) problems.push(logProblem('log-chain', seq, 'does not match its hash: it was changed after it was written'));
  return entry;
}

function checkLogHead(text: string | undefined, lastSeq: number, last: LogEntry | undefined, problems: LedgerProblem[]): void {
  let head: LogHead | null;
  try {
    head = decodeLogHead(text);
  } catch {
    problems.push({ kind: 'corrupt', message: 'the log head record is malformed' });
    return;
  }
  if (head === null) {
    if (lastSeq > 0) problems.push({ kind: 'missing', message: 'the log head record is missing' });
    return;
  }
  for (let seq = lastSeq + 1; seq <= head.seq; seq++) problems.push(logProblem('missing', seq, 'is missing (the log head names it)'));
  if (head.seq < lastSeq) problems.push(logProblem('log-chain', head.seq + 1, `and later entries lie beyond the log head (entry ${head.seq})`));
  if (head.seq === lastSeq && last !== undefined && last.hash !== head.hash) problems.push(logProblem('log-chain', lastSeq, 'is not the entry the log head names'));
}

async function checkIdIndex(space: LedgerSpace, records: ReadonlyMap<string, EventRecord>): Promise<LedgerProblem[]> {
  const problems: LedgerProblem[] = [];
  const indexed = [...records.values()].filter((record): record is EventRecord & { id: string } => record.id !== undefined);
  for (let start = 0; start < indexed.length; start += 1000) {
    const chunk = indexed.slice(start, start + 1000);
    const texts = await space.getMany(chunk.map((record) => keys.id(record.id)));
    chunk.forEach((record, index) => {
      const text = texts[index];
      if (text === undefined) {
        problems.push(eventProblem('missing', record.stream, record.version, `is not in the event-id index (id '${record.id}')`));
        return;
      }
      let place;
      try {
        place = decodeIdRecord(text, record.id);
      } catch {
        place = undefined;
      }
      if (place?.stream !== record.stream || place.version !== record.version) {
        problems.push(eventProblem('corrupt', record.stream, record.version, `has an event-id index record that points elsewhere (id '${record.id}')`));
      }
    });
  }
  return problems;
}
