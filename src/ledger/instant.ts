/**
 * Points in time given by a user (`--at TIME`, `readLog({ until })`): ISO-8601
 * with an explicit zone. A zone-less time would mean different instants on
 * machines in different zones, and the ledger's answers must not.
 */
import { usageError } from '../errors.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch of `text`, or a usage error naming the expected form. */
export function parseInstant(text: string): number {
  const ms = INSTANT.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw usageError('GENLEDGER_BAD_TIME', `'${text}' is not an ISO-8601 time with a zone`, "write times like '2025-01-31T12:00:00Z'");
  }
  return ms;
}
