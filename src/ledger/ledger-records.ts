/**
 * Decoding what the ledger stored, trusting nothing: each decoder parses a
 * value, checks its shape, that it sits under the key it claims, and its
 * hash, and throws a typed integrity error (exit 4) naming the place when
 * anything is off. Readers never skip a record they cannot decode.
 */
import { integrityError } from '../errors.js';
import type { GenledgerError } from '../errors.js';
import { eventHash, storedEventProblem } from './event.js';
import type { StoredEvent } from './event.js';
import type { StreamHead } from './ledger.js';
import { logEntryHash, logEntryProblem } from './log-entry.js';
import type { LogEntry, LogHead } from './log-entry.js';
import { sealHolds } from './stored-seal.js';

const VERIFY_HINT = 'run genledger verify to list every problem; restore the db directory from a backup';

export interface EventPlace {
  stream: string;
  version: number;
  seq?: number;
}

export function describePlace(place: EventPlace): string {
  const seq = place.seq === undefined ? '' : ` (seq ${place.seq})`;
  return `event ${place.version} of stream '${place.stream}'${seq}`;
}

export function corruptEvent(place: EventPlace, problem: string): GenledgerError {
  return integrityError('GENLEDGER_CORRUPT_EVENT', `${describePlace(place)} ${problem}`, VERIFY_HINT);
}

export function corruptLog(seq: number, problem: string): GenledgerError {
  return integrityError('GENLEDGER_CORRUPT_LOG', `log entry ${seq} ${problem}`, VERIFY_HINT);
}

export function decodeEvent(text: string | undefined, place: EventPlace): StoredEvent {
  if (text === undefined) throw corruptEvent(place, 'is missing');
  const value = parseJson(text);
  if (value === undefined) throw corruptEvent(place, 'is not valid JSON');
  const problem = storedEventProblem(value);
  if (problem !== null) throw corruptEvent(place, `is malformed: ${problem}`);
  const event = value as StoredEvent;
  if (event.stream !== place.stream || event.version !== place.version) {
    throw corruptEvent(place, `holds event ${event.version} of stream '${event.stream}' instead`);
  }
  if (!sealHolds(text, event.hash, event.sig, () => eventHash(event))) throw corruptEvent(place, 'does not match its hash: it was changed after it was written');
  return event;
}

export function decodeLogEntry(text: string | undefined, seq: number): LogEntry {
  if (text === undefined) throw corruptLog(seq, 'is missing');
  const value = parseJson(text);
  if (value === undefined) throw corruptLog(seq, 'is not valid JSON');
  const problem = logEntryProblem(value);
  if (problem !== null) throw corruptLog(seq, `is malformed: ${problem}`);
  const entry = value as LogEntry;
  if (entry.seq !== seq) throw corruptLog(seq, `holds entry ${entry.seq} instead`);
  if (!sealHolds(text, entry.hash, undefined, () => logEntryHash(entry))) throw corruptLog(seq, 'does not match its hash: it was changed after it was written');
  return entry;
}

export function decodeHead(text: string | undefined, stream: string): StreamHead | null {
  if (text === undefined) return null;
  const value = parseJson(text);
  if (!isVersionAndHash(value, 'version')) {
    throw integrityError('GENLEDGER_CORRUPT_EVENT', `the head record of stream '${stream}' is malformed`, VERIFY_HINT);
  }
  return { version: value.version, hash: value.hash };
}

export function decodeLogHead(text: string | undefined): LogHead | null {
  if (text === undefined) return null;
  const value = parseJson(text);
  if (!isVersionAndHash(value, 'seq')) throw integrityError('GENLEDGER_CORRUPT_LOG', 'the log head record is malformed', VERIFY_HINT);
  return { seq: value.seq, hash: value.hash };
}

export function decodeIdRecord(text: string, id: string): EventPlace {
  const value = parseJson(text) as Partial<EventPlace> | undefined;
  if (typeof value?.stream !== 'string' || !Number.isSafeInteger(value.version)) {
    throw integrityError('GENLEDGER_CORRUPT_INDEX', `the index record of event id '${id}' is malformed`, VERIFY_HINT);
  }
  return { stream: value.stream, version: value.version as number };
}

function isVersionAndHash<K extends string>(value: unknown, counter: K): value is Record<K, number> & { hash: string } {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return Number.isSafeInteger(record[counter]) && (record[counter] as number) >= 1 && typeof record.hash === 'string' && /^[0-9a-f]{64}$/.test(record.hash);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
