/**
 * The ledger head file, `<home>/ledger-head.json` =
 * `{"seq":N,"hash":"<hash of global log entry N>"}`: how many events the
 * ledger had and the seal of its last log entry, kept outside the database
 * so that a lost or damaged database can be told from a young one, and
 * `recover` can say exactly how many events are gone. It is written
 * synced, as a temporary file renamed onto the name, so a reader finds the
 * old record or the new one. An unreadable file counts as absent: it only
 * ever informs a report.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Ledger } from '../ledger/ledger.js';
import { logEntryHash } from '../ledger/log-entry.js';
import type { LogHead } from '../ledger/log-entry.js';
import type { StateHome } from './state-home.js';

export const ledgerHeadFileName = 'ledger-head.json';

export function ledgerHeadFile(home: StateHome): string {
  return join(home.root, ledgerHeadFileName);
}

/** The recorded head, or null when there is no readable, well-formed file. */
export function readLedgerHeadFile(path: string): LogHead | null {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
  const { seq, hash } = (value ?? {}) as Record<string, unknown>;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0 || typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return null;
  return { seq, hash };
}

export function writeLedgerHeadFile(path: string, head: LogHead, pid: number): void {
  const temp = `${path}.tmp-${pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fd = openSync(temp, 'wx', 0o644);
    try {
      writeSync(fd, `${JSON.stringify({ seq: head.seq, hash: head.hash })}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * The seals of the global log, read through the ledger (which checks every
 * entry and chain link as it reads): the head, and the entry at `seq` when
 * the log reaches it.
 */
export async function logSeals(ledger: Ledger, seq: number | null): Promise<{ head: LogHead | null; at: LogHead | null }> {
  let prev: string | null = null;
  let head: LogHead | null = null;
  let at: LogHead | null = null;
  for await (const record of ledger.readLog({ upcast: false })) {
    const { event } = record;
    prev = logEntryHash({ seq: record.seq, stream: event.stream, version: event.version, eventHash: event.hash, prev });
    head = { seq: record.seq, hash: prev };
    if (record.seq === seq) at = head;
  }
  return { head, at };
}
