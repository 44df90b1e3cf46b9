/**
 * The ledger on LevelDB (any abstract-level database: classic-level on disk,
 * memory-level in tests), in the key layout of ledger-keys.ts.
 *
 * Invariants kept here:
 * - one batch per append or import writes the events, their log entries,
 *   their id-index records, the stream head and the log head together;
 * - with a `commit` hook (the ledger head file of a state home), an append
 *   takes effect only when the hook has recorded its new log head; if the
 *   hook fails, the batch's events are removed again before the error is
 *   thrown, and whatever removal cannot do, the next open does (see
 *   committed-head.ts), so a failed append never reappears;
 * - writes are serialised through this instance (LevelDB's lock keeps other
 *   processes out), so the head a writer read is still the head it extends;
 *   an application opens one ledger per database for the same reason;
 * - before writing, the next event key and log key are checked to be free,
 *   so even a damaged head can never make the ledger overwrite an event.
 *   An append reads them along with the heads it checks (the next log key
 *   as guessed from the last log head this instance saw), saving a round
 *   trip to LevelDB; a key it did not guess is read before writing.
 */
import { refused, usageError } from '../errors.js';
import type { GenledgerError } from '../errors.js';
import { eventUpcasters } from '../../migrations/events/index.js';
import { canonicalJson } from './canonical-json.js';
import { contentOf, newEventProblem, placeEvent, sealEvent } from './event.js';
import type { NewEvent, StoredEvent } from './event.js';
import type { EventSigner } from './event-signer.js';
import type { Ledger, LogRecord, ReadLogOptions, ReadOptions, StoredRecord, StreamHead } from './ledger.js';
import { checkImportedChain } from './imported-events.js';
import { discardUncommitted } from './committed-head.js';
import { emptyHead } from './ledger-head-file.js';
import type { CommittedHead } from './ledger-head-file.js';
import { parseInstant } from './instant.js';
import { keys, ledgerSpace, ranges } from './ledger-keys.js';
import type { LedgerSpace, LevelDatabase } from './ledger-keys.js';
import { corruptEvent, corruptLog, decodeEvent, decodeHead, decodeIdRecord, decodeLogHead } from './ledger-records.js';
import { guarded } from './level-errors.js';
import { readLogRecords, readLogRecordsAt } from './level-log-reader.js';
import { readStreamEvents, readStreamRecords } from './level-stream-reader.js';
import type { LogHead } from './log-entry.js';
import { sealLogEntry } from './log-entry.js';
import { assertStreamName } from './stream-name.js';
import { writeSublevelPuts } from './sublevel-writes.js';
import type { SublevelPut } from './sublevel-writes.js';
import { compileUpcasters } from './upcasting.js';
import type { Upcast, Upcaster } from './upcasting.js';

export interface LevelLedgerOptions {
  /** signs every appended event (imported events keep their own signatures) */
  signer?: EventSigner;
  /** read-time schema migrations; default: every upcaster in migrations/events */
  upcasters?: readonly Upcaster[];
  /**
   * Called after every batch is in the database, with the new and the
   * previous log head: the append is committed when it returns. A failure
   * may carry `undone: false` to say the new head may be recorded after all
   * (the events are then kept).
   */
  commit?: CommitHook;
  /** applied after upcasting, to what every upcasting read returns (quarantined events are masked so) */
  mask?: Upcast;
}

export type CommitHook = (head: CommittedHead, previous: CommittedHead) => void;

export function createLevelLedger(db: LevelDatabase, options: LevelLedgerOptions = {}): Ledger {
  const upcast = compileUpcasters(options.upcasters ?? eventUpcasters);
  const { mask } = options;
  return new LevelLedger(db, ledgerSpace(db), options.signer, mask === undefined ? upcast : (event) => mask(upcast(event)), options.commit);
}

// classic-level's `sync`: an append is reported done only once it is on disk, so a power cut cannot take it back.
const DURABLE = { sync: true };

/** An event ready to store, with the canonical text that will be its value. */
interface Sealed {
  event: StoredEvent;
  text: string;
}

class LevelLedger implements Ledger {
  private writing: Promise<unknown> = Promise.resolve();
  /** The last log head seq this instance read or wrote: a guess at the next append's log head, never trusted. */
  private seenSeq = 0;

  constructor(
    private readonly db: LevelDatabase,
    private readonly space: LedgerSpace,
    private readonly signer: EventSigner | undefined,
    private readonly upcast: Upcast,
    private readonly commit: CommitHook | undefined,
  ) {}

  async append(stream: string, expectedVersion: number, events: readonly NewEvent[]): Promise<StoredEvent[]> {
    assertStreamName(stream);
    if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
      throw usageError('GENLEDGER_BAD_VERSION', `the expected version ${expectedVersion} is not a whole number >= 0`);
    }
    events.forEach((event, index) => {
      const problem = newEventProblem(event);
      if (problem !== null) throw refused('GENLEDGER_INVALID_EVENT', `event ${index + 1} of the append to '${stream}' is malformed: ${problem}`);
    });
    assertDistinctIds(events);
    return this.exclusive(() => guarded(`append to stream '${stream}'`, () => this.appendNow(stream, expectedVersion, events)));
  }

  async importEvents(stream: string, events: readonly StoredEvent[]): Promise<{ appended: number }> {
    assertStreamName(stream);
    checkImportedChain(stream, events);
    return this.exclusive(() => guarded(`import into stream '${stream}'`, () => this.importNow(stream, events)));
  }

  async readStream(stream: string, fromVersion = 1, options: ReadOptions = {}): Promise<StoredEvent[]> {
    assertStreamName(stream);
    assertCount(fromVersion, 'fromVersion', 1);
    const events = await guarded(`read stream '${stream}'`, () => readStreamEvents(this.space, stream, fromVersion));
    return options.upcast === false ? events : events.map(this.upcast);
  }

  async readStreamRecords(stream: string, fromVersion = 1): Promise<StoredRecord[]> {
    assertStreamName(stream);
    assertCount(fromVersion, 'fromVersion', 1);
    return guarded(`read stream '${stream}'`, () => readStreamRecords(this.space, stream, fromVersion));
  }

  readLog(options: ReadLogOptions = {}): AsyncIterable<LogRecord> {
    const fromSeq = options.fromSeq ?? 1;
    assertCount(fromSeq, 'fromSeq', 1);
    if (options.untilSeq !== undefined) assertCount(options.untilSeq, 'untilSeq', 0);
    const untilMs = options.until === undefined ? undefined : parseInstant(options.until);
    const upcast = options.upcast === false ? undefined : this.upcast;
    return readLogRecords(this.space, { fromSeq, untilSeq: options.untilSeq, untilMs, upcast });
  }

  async readLogAt(seqs: readonly number[], options: ReadOptions = {}): Promise<(LogRecord | null)[]> {
    for (const seq of seqs) assertCount(seq, 'seq', 1);
    return readLogRecordsAt(this.space, seqs, options.upcast === false ? undefined : this.upcast);
  }

  async head(stream: string): Promise<StreamHead | null> {
    assertStreamName(stream);
    return guarded(`read the head of stream '${stream}'`, async () => decodeHead(await this.space.get(keys.head(stream)), stream));
  }

  streams(): Promise<string[]> {
    return guarded('list the streams', async () => {
      const headKeys = await this.space.keys(ranges.heads).all();
      return headKeys.map((key) => key.slice(ranges.heads.gte.length));
    });
  }

  lastSeq(): Promise<number> {
    return guarded('read the log head', async () => {
      this.seenSeq = decodeLogHead(await this.space.get(keys.logHead))?.seq ?? 0;
      return this.seenSeq;
    });
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.writing.then(work);
    this.writing = result.catch(() => undefined);
    return result;
  }

  private async appendNow(stream: string, expectedVersion: number, events: readonly NewEvent[]): Promise<StoredEvent[]> {
    const ahead = [keys.event(stream, expectedVersion + 1), keys.log(this.seenSeq + 1)];
    const [headText, logHeadText, ...texts] = await this.space.getMany([keys.head(stream), keys.logHead, ...ahead, ...events.map((event) => keys.id(event.id))]);
    const read = new Map(ahead.map((key, index) => [key, texts[index]]));
    const idTexts = texts.slice(ahead.length);
    if (idTexts.some((text) => text !== undefined)) return this.alreadyStored(stream, events, idTexts);
    const head = decodeHead(headText, stream);
    const current = head?.version ?? 0;
    if (current !== expectedVersion) {
      throw refused('GENLEDGER_VERSION_CONFLICT', `stream '${stream}' is at version ${current}, not ${expectedVersion}`, 'another command changed it meanwhile; reload and try again');
    }
    const sealed: Sealed[] = [];
    let prev = head?.hash ?? null;
    for (const event of events) {
      const placed = placeEvent(event, stream, current + sealed.length + 1, prev);
      const { hash, text } = sealEvent(placed, this.signer);
      // Hand back what a reader will get: a fresh copy, not the caller's objects.
      sealed.push({ event: JSON.parse(text) as StoredEvent, text });
      prev = hash;
    }
    if (sealed.length > 0) await this.write(stream, sealed, decodeLogHead(logHeadText), read);
    return sealed.map(({ event }) => event);
  }

  /** The idempotent re-append: every id stored with the same content returns the stored events. */
  private async alreadyStored(stream: string, events: readonly NewEvent[], idTexts: readonly (string | undefined)[]): Promise<StoredEvent[]> {
    const stored: StoredEvent[] = [];
    for (const [index, event] of events.entries()) {
      const text = idTexts[index];
      if (text === undefined) {
        throw refused('GENLEDGER_EVENT_ID_CONFLICT', `the append to '${stream}' mixes stored event ids with the new id '${event.id}'`, 'give every new event a fresh id');
      }
      const place = decodeIdRecord(text, event.id);
      const existing = decodeEvent(await this.space.get(keys.event(place.stream, place.version)), place);
      if (place.stream !== stream || contentOf(existing) !== contentOf(event)) {
        throw refused('GENLEDGER_EVENT_ID_CONFLICT', `event id '${event.id}' is already stored, with other content, as event ${place.version} of stream '${place.stream}'`, 'give every new event a fresh id');
      }
      stored.push(existing);
    }
    return stored;
  }

  private async importNow(stream: string, events: readonly StoredEvent[]): Promise<{ appended: number }> {
    const [headText, logHeadText] = await this.space.getMany([keys.head(stream), keys.logHead]);
    const head = decodeHead(headText, stream);
    const current = head?.version ?? 0;
    const present = events.filter((event) => event.version <= current);
    const stored = await this.space.getMany(present.map((event) => keys.event(stream, event.version)));
    present.forEach((event, index) => {
      const local = decodeEvent(stored[index], { stream, version: event.version });
      if (local.hash !== event.hash) throw diverged(stream, event.version);
    });
    const fresh = events.filter((event) => event.version > current);
    const first = fresh[0];
    if (first === undefined) return { appended: 0 };
    if (first.version !== current + 1) {
      throw refused('GENLEDGER_STREAM_GAP', `the imported events of '${stream}' start at version ${first.version}, but the stream is at version ${current}`, `import the events from version ${current + 1} on`);
    }
    if (first.prev !== (head?.hash ?? null)) throw diverged(stream, first.version);
    const takenIds = await this.space.getMany(fresh.map((event) => keys.id(event.id)));
    const taken = fresh.find((_, index) => takenIds[index] !== undefined);
    if (taken !== undefined) {
      throw refused('GENLEDGER_EVENT_ID_CONFLICT', `the imported event ${taken.version} of '${stream}' reuses the id '${taken.id}' of a stored event`, 'the export and this ledger disagree; compare them with genledger log');
    }
    await this.write(stream, fresh.map((event) => ({ event, text: canonicalJson(event) })), decodeLogHead(logHeadText));
    return { appended: fresh.length };
  }

  /** Writes `events` after `logHead`; `read` holds keys already read (value or undefined), which need no second read. */
  private async write(stream: string, events: readonly Sealed[], logHead: LogHead | null, read: ReadonlyMap<string, string | undefined> = new Map()): Promise<void> {
    const firstVersion = events[0]?.event.version ?? 1;
    let seq = logHead?.seq ?? 0;
    const next = [keys.event(stream, firstVersion), keys.log(seq + 1)];
    const [eventTaken, logTaken] = next.every((key) => read.has(key)) ? next.map((key) => read.get(key)) : await this.space.getMany(next);
    if (eventTaken !== undefined) throw corruptEvent({ stream, version: firstVersion }, 'already exists beyond the stream head; refusing to overwrite it');
    if (logTaken !== undefined) throw corruptLog(seq + 1, 'already exists beyond the log head; refusing to overwrite it');
    let prev = logHead?.hash ?? null;
    const puts: SublevelPut[] = [];
    for (const { event, text } of events) {
      seq += 1;
      const entry = sealLogEntry({ seq, stream, version: event.version, eventHash: event.hash, prev });
      prev = entry.hash;
      puts.push(
        this.put(keys.event(stream, event.version), text),
        this.put(keys.log(seq), entry.text),
        this.put(keys.id(event.id), canonicalJson({ stream, version: event.version })),
      );
    }
    const last = events[events.length - 1]?.event;
    if (last === undefined || prev === null) return;
    puts.push(this.put(keys.head(stream), canonicalJson({ version: last.version, hash: last.hash })), this.put(keys.logHead, canonicalJson({ seq, hash: prev })));
    await writeSublevelPuts(this.db, puts, DURABLE);
    if (this.commit !== undefined) await this.committed({ seq, hash: prev }, logHead ?? emptyHead);
    this.seenSeq = seq;
  }

  private async committed(head: CommittedHead, previous: CommittedHead): Promise<void> {
    try {
      this.commit?.(head, previous);
    } catch (error) {
      if ((error as { undone?: unknown }).undone !== false) {
        // Best effort: the next open discards whatever this could not (the head file still names `previous`).
        await discardUncommitted(this.db, previous).catch(() => undefined);
      }
      throw error;
    }
  }

  private put(key: string, value: string): SublevelPut {
    return { sublevel: this.space, key, value };
  }
}

function assertDistinctIds(events: readonly NewEvent[]): void {
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.id)) throw refused('GENLEDGER_EVENT_ID_CONFLICT', `event id '${event.id}' appears twice in one append`, 'give every new event a fresh id');
    seen.add(event.id);
  }
}

function diverged(stream: string, version: number): GenledgerError {
  return refused('GENLEDGER_STREAM_DIVERGED', `stream '${stream}' diverges from the imported events at version ${version}`, 'the two ledgers recorded different histories; import under another profile name');
}

function assertCount(value: number, name: string, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) throw usageError('GENLEDGER_BAD_POSITION', `${name} must be a whole number >= ${min}, not ${value}`);
}
