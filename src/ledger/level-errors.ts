/**
 * Turns LevelDB failures into genledger's typed errors. abstract-level
 * promises stable error codes (`LEVEL_*`) but not stable messages, and its
 * messages name internal files, so the user never sees them: every Level
 * error becomes a GenledgerError whose message states the fact and whose
 * hint says what to do. Errors that are not Level's pass through unchanged.
 *
 * LevelDB reports some damage as an "IO error": a table cut short is read
 * past its end (EINVAL), a table or log replaced by a directory or a
 * device (EISDIR, ENODEV), or removed (ENOENT). Those are
 * GENLEDGER_DB_CORRUPT like its own "Corruption" (a checksum mismatch, a
 * bad block); only the disk's own failures (EIO, ENOSPC, EROFS, EACCES)
 * keep their codes.
 */
import { ExitCode, GenledgerError, integrityError, refused } from '../errors.js';

/** What to do about a database that lost or damaged committed records. */
export const RECOVER_HINT = 'run genledger verify; genledger recover rebuilds what it can';

interface CodedError {
  code: string;
  message: string;
  cause?: unknown;
}

export function isLevelError(error: unknown): error is CodedError {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('LEVEL_');
}

/** The underlying Level error: abstract-level wraps open failures in LEVEL_DATABASE_NOT_OPEN with a `cause`. */
export function rootLevelError(error: unknown): CodedError | null {
  if (!isLevelError(error)) return null;
  return isLevelError(error.cause) ? error.cause : error;
}

/** A typed error for a failed database operation `what` (e.g. "append to 'profile'"). */
export function translateLevelError(error: unknown, what: string): unknown {
  const root = rootLevelError(error);
  if (root === null) return error;
  switch (root.code) {
    case 'LEVEL_CORRUPTION':
    case 'LEVEL_DECODE_ERROR':
      return damaged(what);
    case 'LEVEL_IO_ERROR':
      if (damagedFile.test(root.message)) return damaged(what);
      return ioError(root.message, what);
    case 'LEVEL_DATABASE_NOT_OPEN':
    case 'LEVEL_ITERATOR_NOT_OPEN':
    case 'LEVEL_BATCH_NOT_OPEN':
      return new GenledgerError('GENLEDGER_DB_CLOSED', ExitCode.internal, `could not ${what}: the database was already closed`, 'this is a bug in genledger; please report it');
    default:
      return new GenledgerError('GENLEDGER_DB_ERROR', ExitCode.internal, `could not ${what}: the database failed (${root.code})`, 'this is a bug in genledger; please report it');
  }
}

/** The strerror texts of an "IO error" that a damaged file, not the disk, causes. */
const damagedFile = /invalid argument|is a directory|not a directory|no such device|no such file or directory|too short/i;

function damaged(what: string): GenledgerError {
  return integrityError('GENLEDGER_DB_CORRUPT', `the database is damaged: LevelDB could not ${what}`, RECOVER_HINT);
}

function ioError(message: string, what: string): GenledgerError {
  if (/no space left/i.test(message)) {
    return refused('GENLEDGER_DISK_FULL', `could not ${what}: no space left on the device holding the database`, 'free some disk space and run the command again');
  }
  if (/permission denied|operation not permitted/i.test(message)) {
    return refused('GENLEDGER_DB_PERMISSION', `could not ${what}: permission denied on the database directory`, 'check the owner and mode of the db directory in the state home');
  }
  if (/read-only file system/i.test(message)) {
    return refused('GENLEDGER_DB_READ_ONLY', `could not ${what}: the database is on a read-only file system`, 'use a writable --home');
  }
  return refused('GENLEDGER_DB_IO', `could not ${what}: an I/O error occurred in the database`, 'check the disk and the db directory in the state home');
}

/** Runs `operation`, translating a Level failure into a typed error. */
export async function guarded<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw translateLevelError(error, what);
  }
}
