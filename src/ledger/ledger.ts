/**
 * The ledger: an append-only log of events in named streams, each stream a
 * hash chain, all of them ordered (and chained again) by one global log.
 * It is the only source of truth; everything else is a projection of it.
 *
 * The interface is deliberately narrow so a second backend (a shared
 * PostgreSQL event store) can sit beside LevelDB. Every backend promises:
 * - an append is all-or-nothing and never overwrites a stored event;
 * - `expectedVersion` makes concurrent writers fail loudly, never lose work;
 * - readers re-check every hash and throw GENLEDGER_CORRUPT_* on a mismatch,
 *   never skipping an event; they then lift old schemas with upcasters
 *   unless `upcast: false` asks for the stored bytes (export, verification).
 * test/contract/ledger-contract.ts is the specification a backend passes.
 */
import type { NewEvent, StoredEvent } from './event.js';

export interface StreamHead {
  version: number;
  hash: string;
}

export interface LogRecord {
  seq: number;
  event: StoredEvent;
}

export interface ReadOptions {
  /** false returns events exactly as stored (to export them); default true. */
  upcast?: boolean;
}

export interface ReadLogOptions extends ReadOptions {
  /** first seq to return (default 1) */
  fromSeq?: number;
  /** last seq to return, inclusive */
  untilSeq?: number;
  /**
   * ISO-8601 time: the log as of that moment. Each stream is cut before its
   * first event later than `until`, so every stream read is a prefix of
   * itself even if a clock went backwards between two of its events.
   */
  until?: string;
}

export interface StoredRecord {
  readonly event: StoredEvent;
  readonly text: string;
}

export interface Ledger {
  /**
   * Appends `events` to `stream`, whose current version the caller decided
   * on (0 for a new stream); refuses with GENLEDGER_VERSION_CONFLICT when
   * the stream moved. Re-appending events whose ids are already stored
   * with the same content returns the stored events and writes nothing.
   */
  append(stream: string, expectedVersion: number, events: readonly NewEvent[]): Promise<StoredEvent[]>;

  /**
   * Appends already-sealed events verbatim (ids, actors, times, hashes and
   * signatures kept) after checking that they continue the local chain.
   * Events already present are skipped; a different event at a stored
   * version is refused with GENLEDGER_STREAM_DIVERGED.
   */
  importEvents(stream: string, events: readonly StoredEvent[]): Promise<{ appended: number }>;

  readStream(stream: string, fromVersion?: number, options?: ReadOptions): Promise<StoredEvent[]>;
  /**
   * As `readStream` without upcasting, each event with the text the ledger
   * stored for it (sealed; canonical JSON when genledger wrote it), so a
   * reader that passes events on verbatim need not encode them again.
   */
  readStreamRecords(stream: string, fromVersion?: number): Promise<StoredRecord[]>;
  /** Validates `options` when called (throwing at once, as abstract-level's iterator() does), then reads lazily. */
  readLog(options?: ReadLogOptions): AsyncIterable<LogRecord>;
  /**
   * The records at `seqs` (events an index located), in the order asked,
   * null for a seq beyond the log head: each checked as `readLog` checks a
   * record, except for the chain link to the entry before it, which only a
   * read of that entry too can check.
   */
  readLogAt(seqs: readonly number[], options?: ReadOptions): Promise<(LogRecord | null)[]>;
  head(stream: string): Promise<StreamHead | null>;
  streams(): Promise<string[]>;
  lastSeq(): Promise<number>;
}
