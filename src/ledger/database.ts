/**
 * Opening the shared LevelDB database of a state home (`<home>/db`), the
 * only place a LevelDB handle is created. LevelDB admits one process at a
 * time; a command that finds the lock taken waits, retrying, up to
 * `lockTimeoutMs`, tells `onWaiting` once whom it waits for, and then fails
 * with GENLEDGER_LOCK_TIMEOUT (exit 3) naming the holder. Once open, it
 * records itself as the holder and brings the layout up to date.
 *
 * An existing home's database is opened with `createIfMissing: false`:
 * LevelDB, asked to create a database where one lost its CURRENT file,
 * starts an empty one and deletes the old tables, so a missing database
 * must be refused (GENLEDGER_DB_MISSING), never recreated. Any other
 * LevelDB's own files that are missing or unreadable as records mean a
 * damaged database: GENLEDGER_DB_CORRUPT (an I/O error of the disk stays
 * GENLEDGER_DB_IO). Its tables are checked against their checksums
 * before LevelDB reads them (database-tables.ts): LevelDB's own reading
 * of a damaged table can abort the process.
 *
 * The timeout bounds the time spent sleeping between attempts, counted
 * through the injected `sleep`, so tests with an instant sleep stay exact.
 *
 * A command can give the lock up for long file-system work and take it
 * back (`close`, then `reopen`: the same wait, holder record and layout
 * check). LevelDB reopens the same handle, but a sublevel closes with its
 * database and stays closed; so every sublevel made from this database is
 * remembered (weakly) and reopened with it, and the handles a session
 * holds stay usable. What they read before is not: another process may
 * have written meanwhile.
 */
import { ClassicLevel } from 'classic-level';
import { ExitCode, GenledgerError, integrityError, refused, usageError } from '../errors.js';
import { databaseFilesProblem } from './database-files.js';
import { damagedTable, liveTableNames, rememberTablesWrittenSince } from './database-tables.js';
import { migrateLayout } from './layout-migrations.js';
import type { LevelDatabase } from './ledger-keys.js';
import { RECOVER_HINT, guarded, isLevelError, rootLevelError, translateLevelError } from './level-errors.js';
import { describeHolder, holderPath, readHolder, removeHolder, writeHolder } from './lock-holder.js';
import type { HolderState, LockHolder } from './lock-holder.js';

export interface OpenDatabaseOptions {
  dir: string;
  lockTimeoutMs: number;
  holder: LockHolder;
  /** called once, on the first failed attempt, with a description of the holder */
  onWaiting?: (holder: string, state: HolderState) => void;
  sleep?: (ms: number) => Promise<void>;
  /** pause between attempts (default 25 ms) */
  retryMs?: number;
  /** create the database when it does not exist (default true; false for a home that already has a ledger) */
  createIfMissing?: boolean;
}

export interface Database {
  readonly db: LevelDatabase;
  readonly dir: string;
  close(): Promise<void>;
  /** Takes the lock back after `close()`, waiting for it as opening does. */
  reopen(): Promise<void>;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { dir } = options;
  if (!Number.isFinite(options.lockTimeoutMs) || options.lockTimeoutMs < 0) {
    throw usageError('GENLEDGER_BAD_LOCK_TIMEOUT', `the lock timeout must be a number of seconds >= 0, not ${options.lockTimeoutMs / 1000}`);
  }
  // Before the constructor: a Level database opens itself on the next tick, so a check that throws after it
  // would still let LevelDB read a FIFO (and hang) or compact a damaged table (and abort).
  checkFilesBeforeOpening(dir);
  const db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8', createIfMissing: options.createIfMissing ?? true });
  const reopenSublevels = rememberSublevels(db);
  const holderFile = holderPath(dir);
  // The tables as checked just before the open that got the lock: any other live table at close was written here.
  let tablesAtOpen = await acquire(db, options);
  let closing: Promise<void> | undefined;
  return {
    db,
    dir,
    close: () => {
      closing ??= (async () => {
        rememberTablesWrittenSince(dir, tablesAtOpen);
        // Remove the record while still holding the lock: after close() it may already name the next holder.
        removeHolder(holderFile);
        await guarded('close the database', () => db.close());
      })();
      return closing;
    },
    reopen: async () => {
      if (closing === undefined) return;
      await closing;
      checkFilesBeforeOpening(dir);
      tablesAtOpen = await acquire(db, options);
      closing = undefined;
      await guarded('reopen the database', reopenSublevels);
    },
  };
}

/**
 * Opens `db`, waiting for the lock up to the timeout; then records the
 * holder and brings the layout up to date. Returns the live tables as they
 * were checked before the attempt that got the lock.
 */
async function acquire(db: ClassicLevel<string, string>, options: OpenDatabaseOptions): Promise<ReadonlySet<string> | null> {
  const { dir } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const retryMs = Math.max(1, options.retryMs ?? 25);
  const holderFile = holderPath(dir);
  let waited = 0;
  let announced = false;
  let checked = liveTableNames(dir);
  for (;;) {
    try {
      await db.open();
      break;
    } catch (error) {
      if (rootLevelError(error)?.code !== 'LEVEL_LOCKED') throw openFailure(error, dir);
      if (waited >= options.lockTimeoutMs) throw lockTimeout(dir, readHolder(holderFile), options.lockTimeoutMs);
      if (!announced) {
        const state = readHolder(holderFile);
        options.onWaiting?.(describeHolder(state), state);
        announced = true;
      }
      const pause = Math.min(retryMs, options.lockTimeoutMs - waited);
      await sleep(pause);
      waited += pause;
      // The holder may have been changing the tables: judged again, now that the lock may be free.
      throwIfTableDamaged(dir);
      checked = liveTableNames(dir);
    }
  }
  try {
    recordHolder(holderFile, options.holder);
    await guarded('bring the database layout up to date', () => migrateLayout(db));
  } catch (error) {
    removeHolder(holderFile);
    await db.close();
    throw error;
  }
  return checked;
}

/** Makes `db.sublevel` remember what it makes; the returned function reopens those still in use after `db` reopened. */
function rememberSublevels(db: ClassicLevel<string, string>): () => Promise<void> {
  const made = new Set<WeakRef<{ readonly status: string; open(): Promise<void> }>>();
  const sublevel = db.sublevel.bind(db);
  db.sublevel = ((...args: Parameters<typeof sublevel>) => {
    const sub = sublevel(...args);
    made.add(new WeakRef(sub));
    return sub;
  }) as typeof db.sublevel;
  return async () => {
    for (const ref of made) {
      const sub = ref.deref();
      if (sub === undefined) made.delete(ref);
      else if (sub.status === 'closed') await sub.open();
    }
  };
}

/** Record files that are not regular files, and damaged live tables (LevelDB's open-time compaction reads them unchecked and aborts). */
function checkFilesBeforeOpening(dir: string): void {
  const filesProblem = databaseFilesProblem(dir);
  if (filesProblem !== null) throw databaseCorrupt(dir, filesProblem);
  throwIfTableDamaged(dir);
}

function throwIfTableDamaged(dir: string): void {
  const damage = damagedTable(dir);
  if (damage !== null) throw databaseCorrupt(dir, damage);
}

function recordHolder(path: string, holder: LockHolder): void {
  try {
    writeHolder(path, holder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw refused('GENLEDGER_DB_PERMISSION', `cannot record the lock holder in ${path} (${code})`, 'make the directory holding the db directory writable, or pass another --home');
  }
}

function lockTimeout(dir: string, state: HolderState, timeoutMs: number): GenledgerError {
  return new GenledgerError(
    'GENLEDGER_LOCK_TIMEOUT',
    ExitCode.lockTimeout,
    `the database ${dir} is locked by ${describeHolder(state)}; gave up after ${timeoutMs / 1000}s`,
    'wait for that command to finish, or give it more time with --lock-timeout SECONDS',
  );
}

function openFailure(error: unknown, dir: string): unknown {
  if (rootLevelError(error) === null) return error;
  const cause = (error as { cause?: unknown }).cause;
  switch ((cause as NodeJS.ErrnoException | undefined)?.code) {
    case 'EACCES':
    case 'EPERM':
      return refused('GENLEDGER_DB_PERMISSION', `cannot open the database ${dir}: permission denied`, 'check the owner and mode of the state home, or pass another --home');
    case 'ENOTDIR':
    case 'EEXIST':
      return refused('GENLEDGER_DB_NOT_A_DIRECTORY', `cannot open the database ${dir}: a file is in the way of its directory`, 'move that file away, or pass another --home');
    case 'ENOSPC':
      return refused('GENLEDGER_DISK_FULL', `cannot open the database ${dir}: no space left on the device`, 'free some disk space and run the command again');
    case 'EROFS':
      return refused('GENLEDGER_DB_READ_ONLY', `cannot open the database ${dir}: the file system is read-only`, 'use a writable --home');
  }
  const root = rootLevelError(error);
  if (/does not exist/.test(root?.message ?? '')) return databaseMissing(dir);
  // A file LevelDB's own records name is gone (CURRENT naming a lost MANIFEST, a lost table): damage, not the disk.
  if (isLevelError(cause) && cause.code === 'LEVEL_IO_ERROR' && /no such file or directory/i.test(cause.message)) return databaseCorrupt(dir);
  if (isLevelError(cause) && cause.code === 'LEVEL_CORRUPTION') return databaseCorrupt(dir);
  if (isLevelError(cause)) return translateLevelError(cause, `open the database ${dir}`);
  return databaseCorrupt(dir);
}

export function databaseMissing(dir: string): GenledgerError {
  return integrityError('GENLEDGER_DB_MISSING', `the database ${dir} is missing, but this home has a ledger`, RECOVER_HINT);
}

/** `detail` names what the checks before the open found ("its CURRENT file is a FIFO"). */
export function databaseCorrupt(dir: string, detail?: string): GenledgerError {
  const why = detail === undefined ? 'LevelDB cannot open it' : detail;
  return integrityError('GENLEDGER_DB_CORRUPT', `the database ${dir} is damaged: ${why}`, RECOVER_HINT);
}
