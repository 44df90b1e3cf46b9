/**
 * The global log: one entry per stored event, in the order the events were
 * written, numbered by `seq` from 1 without gaps. Each entry names its event
 * (stream, version, eventHash) and the previous entry's hash, and is sealed
 * by its own hash, forming a second chain across all streams: removing a
 * whole stream, dropping an entry or reordering entries breaks it even when
 * every per-stream chain still looks intact.
 */
import { canonicalJson, canonicalObject } from './canonical-json.js';
import { sha256Hex } from './event.js';
import { streamNameProblem } from './stream-name.js';

export interface LogEntry {
  seq: number;
  stream: string;
  version: number;
  eventHash: string;
  prev: string | null;
  hash: string;
}

export interface LogHead {
  seq: number;
  hash: string;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export function logEntryHash(entry: Omit<LogEntry, 'hash'>): string {
  const { seq, stream, version, eventHash, prev } = entry;
  return sha256Hex(canonicalJson({ seq, stream, version, eventHash, prev }));
}

/** Seals an entry: its hash, and the text the ledger stores for it (its canonical JSON with `hash`), each field encoded once. */
export function sealLogEntry(entry: Omit<LogEntry, 'hash'>): { hash: string; text: string } {
  const { seq, stream, version, eventHash, prev } = entry;
  const fields = { seq: canonicalJson(seq), stream: canonicalJson(stream), version: canonicalJson(version), eventHash: canonicalJson(eventHash), prev: canonicalJson(prev) };
  const hash = sha256Hex(canonicalObject(fields));
  return { hash, text: canonicalObject({ ...fields, hash: canonicalJson(hash) }) };
}

/** Why `value` is not a well-formed log entry (its hash not yet checked), or null. */
export function logEntryProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'it is not an object';
  const entry = value as Record<string, unknown>;
  const extra = Object.keys(entry).find((key) => !['seq', 'stream', 'version', 'eventHash', 'prev', 'hash'].includes(key));
  if (extra !== undefined) return `it has an unknown field '${extra}'`;
  if (!Number.isSafeInteger(entry.seq) || (entry.seq as number) < 1) return 'its seq is not a positive integer';
  if (typeof entry.stream !== 'string' || streamNameProblem(entry.stream) !== null) return 'its stream is not a valid stream name';
  if (!Number.isSafeInteger(entry.version) || (entry.version as number) < 1) return 'its version is not a positive integer';
  if (typeof entry.eventHash !== 'string' || !HEX_SHA256.test(entry.eventHash)) return 'its eventHash is not a sha256 hex digest';
  if (entry.prev !== null && !(typeof entry.prev === 'string' && HEX_SHA256.test(entry.prev))) return 'its prev is not null or a sha256 hex digest';
  if (typeof entry.hash !== 'string' || !HEX_SHA256.test(entry.hash)) return 'its hash is not a sha256 hex digest';
  return null;
}
