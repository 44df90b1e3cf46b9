/**
 * Where the ledger keeps things in the shared LevelDB database. Every key
 * lives in the `ledger` sublevel (full key `!ledger!<local key>`); other
 * parts of the program own other sublevels (`store`, `projection`, `config`,
 * `meta`) and never touch these keys.
 *
 * | local key                          | value (canonical JSON)                               |
 * | ---------------------------------- | ---------------------------------------------------- |
 * | `stream!<stream>!<version:16>`     | the stored event                                     |
 * | `log!<seq:16>`                     | log entry `{ seq, stream, version, eventHash, prev, hash }` |
 * | `head!<stream>`                    | `{ version, hash }` of the stream's last event       |
 * | `id!<event id>`                    | `{ stream, version }` where that event id is stored  |
 * | `meta!log-head`                    | `{ seq, hash }` of the last log entry                |
 *
 * Numbers are zero-padded to 16 decimal digits (enough for every safe
 * integer), so LevelDB's byte order is numeric order. Stream names never
 * contain `!` (see stream-name.ts), so `<stream>!` delimits a stream's range
 * exactly, and `head!`/`id!` keys hold the rest of the key verbatim.
 *
 * The layout version of the whole database is `!meta!layout-version`,
 * maintained by layout-migrations.ts.
 */
import type { AbstractLevel, AbstractSublevel } from 'abstract-level';

/** The shared database as every part of genledger types it: string keys and values. */
export type LevelDatabase = AbstractLevel<string | Buffer | Uint8Array, string, string>;

/** A sublevel of the shared database (string keys and values), as `db.sublevel()` returns it. */
export type LevelSublevel = AbstractSublevel<LevelDatabase, string | Buffer | Uint8Array, string, string>;

/** The ledger's own key space (a sublevel of the shared database). */
export type LedgerSpace = LevelSublevel;

const WIDTH = 16;

export function ledgerSpace(db: LevelDatabase): LedgerSpace {
  return db.sublevel<string, string>('ledger', { keyEncoding: 'utf8', valueEncoding: 'utf8' });
}

export function fixedWidth(n: number): string {
  return String(n).padStart(WIDTH, '0');
}

export const keys = {
  event: (stream: string, version: number): string => `stream!${stream}!${fixedWidth(version)}`,
  log: (seq: number): string => `log!${fixedWidth(seq)}`,
  head: (stream: string): string => `head!${stream}`,
  id: (id: string): string => `id!${id}`,
  logHead: 'meta!log-head',
} as const;

export interface KeyRange {
  gte: string;
  lt: string;
}

/** Every key that starts with `prefix` (which ends in `!`), and no other. */
export function prefixRange(prefix: string): KeyRange {
  return { gte: prefix, lt: `${prefix.slice(0, -1)}"` };
}

export const ranges = {
  allEvents: prefixRange('stream!'),
  stream: (stream: string): KeyRange => prefixRange(`stream!${stream}!`),
  log: prefixRange('log!'),
  heads: prefixRange('head!'),
} as const;

/** Splits `stream!<stream>!<version>` back into its parts, or null if the key is not of that shape. */
export function parseEventKey(key: string): { stream: string; version: number } | null {
  const match = /^stream!(.+)!(\d{16})$/.exec(key);
  if (match === null) return null;
  return { stream: match[1] ?? '', version: Number(match[2]) };
}

export function parseLogKey(key: string): number | null {
  const match = /^log!(\d{16})$/.exec(key);
  return match === null ? null : Number(match[1]);
}
