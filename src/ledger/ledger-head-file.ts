/**
 * The ledger head file, `<home>/ledger-head.json` = `{"seq":N,"hash":H}`:
 * the seq and hash of the last committed log entry (`{"seq":0,"hash":null}`
 * for an empty ledger), kept outside LevelDB so that a database that lost
 * its newest records, or was replaced by an empty one, cannot pass for the
 * whole ledger.
 *
 * It is the commit point: an append is committed when the head file naming
 * its last entry is durably written (fsync'd, renamed, directory fsync'd).
 * Events in the database beyond the head file were never committed (their
 * append failed, or the process died before committing) and are discarded
 * on the next open (committed-head.ts).
 */
import { join } from 'node:path';
import { refused } from '../errors.js';
import type { GenledgerError } from '../errors.js';
import { integrityError } from '../errors.js';
import { RECOVER_HINT } from './level-errors.js';
import { isDurableWriteError, readFileIfPresent, writeFileDurably } from '../fsx/durable-file.js';

export interface CommittedHead {
  readonly seq: number;
  /** the hash of log entry `seq`; null only for seq 0 */
  readonly hash: string | null;
}

export const emptyHead: CommittedHead = { seq: 0, hash: null };

export function ledgerHeadFile(homeRoot: string): string {
  return join(homeRoot, 'ledger-head.json');
}

/** The committed head, or null when the file does not exist. */
export function readHeadFile(path: string): CommittedHead | null {
  let text: string | null;
  try {
    text = readFileIfPresent(path);
  } catch (error) {
    throw headFileFailure(error, `read the ledger head file ${path}`, 'check the owner and mode of the state home');
  }
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const head = value as { seq?: unknown; hash?: unknown } | undefined;
  const seqOk = Number.isSafeInteger(head?.seq) && (head?.seq as number) >= 0;
  const hashOk = head?.seq === 0 ? head.hash === null : typeof head?.hash === 'string' && /^[0-9a-f]{64}$/.test(head.hash);
  if (!seqOk || !hashOk) {
    throw integrityError('GENLEDGER_HEAD_FILE_CORRUPT', `the ledger head file ${path} is damaged`, RECOVER_HINT);
  }
  return { seq: head?.seq as number, hash: head?.hash as string | null };
}

export function writeHeadFile(path: string, head: CommittedHead): void {
  writeFileDurably(path, `${JSON.stringify({ seq: head.seq, hash: head.hash })}\n`);
}

/**
 * Commits `head`. If that fails the append must not take effect: the file
 * still names `previous` (a failure before the rename), or is put back to
 * it (a failure of the directory's fsync after the rename), and the error
 * says whether that held. `undone: false` means the new head may be on
 * disk after all, so the caller must keep the appended events.
 */
export function commitHead(path: string, head: CommittedHead, previous: CommittedHead): void {
  try {
    writeHeadFile(path, head);
  } catch (error) {
    let undone = !isDurableWriteError(error) || !error.renamed;
    if (!undone) {
      try {
        writeHeadFile(path, previous);
        undone = true;
      } catch {
        undone = false;
      }
    }
    const hint = undone ? 'check the disk and run the command again; it did not take effect' : 'check the disk; run genledger verify to see whether the command took effect';
    throw Object.assign(headFileFailure(error, `commit the append (write ${path})`, hint), { undone });
  }
}

/** The commit hook of a ledger whose head file is `path` (see level-ledger.ts). */
export function committingTo(path: string): (head: CommittedHead, previous: CommittedHead) => void {
  return (head, previous) => commitHead(path, head, previous);
}

function headFileFailure(error: unknown, what: string, hint: string): GenledgerError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  if (code === 'ENOSPC') return refused('GENLEDGER_DISK_FULL', `could not ${what}: no space left on the device`, 'free some disk space and run the command again');
  return refused('GENLEDGER_HEAD_FILE_IO', `could not ${what}: ${code}`, hint);
}
