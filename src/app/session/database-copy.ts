/**
 * A consistent private copy of a home's database, for reading a home this
 * user may not write (an auditor's view of a shared profile).
 *
 * Why a copy, and not LevelDB opened in place: classic-level has no
 * read-only mode; every open creates and locks a LOCK file, rotates the
 * LOG, and may compact, so it fails on a directory it cannot write, and
 * would change the home if it could. The ledger head file and the
 * holder record live beside the database and are written too.
 *
 * Why the copy is consistent without the lock: a LevelDB directory is a
 * set of files that are written once (tables, manifests are replaced, not
 * changed, apart from appends to the newest log and manifest), so its
 * state is fixed by the names and sizes of its files. The copy is taken
 * between two identical listings (name, size, modification time) of the
 * directory and the same ledger head file text; if a writer changed
 * anything meanwhile, the copy is thrown away and taken again, up to the
 * lock timeout (then GENLEDGER_LOCK_TIMEOUT, as a locked open would). The
 * head file read with the copy is the one the copy is checked against, so
 * events a writer appended but had not committed are discarded from the
 * copy, and the copy never passes for a truncated ledger.
 */
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, GenledgerError, refused } from '../../errors.js';
import { databaseFilesProblem } from '../../ledger/database-files.js';
import { databaseCorrupt } from '../../ledger/database.js';
import { readHeadFile } from '../../ledger/ledger-head-file.js';
import type { CommittedHead } from '../../ledger/ledger-head-file.js';
import { readFileIfPresent } from '../../fsx/durable-file.js';

export interface DatabaseCopy {
  /** The copy's database directory. */
  readonly db: string;
  /** The ledger head file as it was when the copy was taken (null: none). */
  readonly committed: CommittedHead | null;
  remove(): void;
}

export interface CopyOptions {
  readonly timeoutMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export async function copyDatabase(dir: string, headFile: string, options: CopyOptions): Promise<DatabaseCopy> {
  const problem = databaseFilesProblem(dir);
  if (problem !== null) throw databaseCorrupt(dir, problem);
  const root = mkdtempSync(join(tmpdir(), 'genledger-read-'));
  const remove = () => rmSync(root, { recursive: true, force: true });
  const db = join(root, 'db');
  try {
    for (let waited = 0; ; waited += 25) {
      const before = listing(dir, headFile);
      rmSync(db, { recursive: true, force: true });
      mkdirSync(db);
      const copied = copyFiles(dir, db);
      const after = listing(dir, headFile);
      if (copied && after.files === before.files && after.head === before.head) {
        // Parsed from the text the listings agreed on, with the checks every head file gets.
        const committed = before.head === null ? null : readHeadFile(writeText(join(root, 'ledger-head.json'), before.head));
        return { db, committed, remove };
      }
      if (waited >= options.timeoutMs) throw kept(dir, options.timeoutMs);
      await options.sleep(25);
    }
  } catch (error) {
    remove();
    throw error;
  }
}

/** The database's files (all but LOCK) with their sizes and times, and the head file's text. */
function listing(dir: string, headFile: string): { readonly files: string; readonly head: string | null } {
  const files = readdirOrRefuse(dir)
    .filter((name) => name !== 'LOCK')
    .sort()
    .map((name) => {
      try {
        const stats = lstatSync(join(dir, name));
        return `${name} ${stats.size} ${stats.mtimeMs}`;
      } catch {
        return `${name} gone`;
      }
    });
  return { files: files.join('\n'), head: readFileIfPresent(headFile) };
}

/** Copies every regular file but LOCK; false when one vanished meanwhile (a compaction): the copy is taken again. */
function copyFiles(from: string, to: string): boolean {
  for (const name of readdirOrRefuse(from)) {
    if (name === 'LOCK') continue;
    try {
      if (!lstatSync(join(from, name)).isFile()) continue;
      copyFileSync(join(from, name), join(to, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw unreadable(from, error);
    }
  }
  return true;
}

function readdirOrRefuse(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    throw unreadable(dir, error);
  }
}

function writeText(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}

function unreadable(dir: string, error: unknown): GenledgerError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return refused('GENLEDGER_DB_PERMISSION', `cannot read the database ${dir} (${code})`, 'ask for read access to the state home, or pass another --home');
}

function kept(dir: string, timeoutMs: number): GenledgerError {
  return new GenledgerError('GENLEDGER_LOCK_TIMEOUT', ExitCode.lockTimeout, `the database ${dir} kept changing while it was being read; gave up after ${timeoutMs / 1000}s`, 'run the command again when the writer is done, or give it more time with --lock-timeout SECONDS');
}
