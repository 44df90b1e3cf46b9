/**
 * Turns the file-system failures a user can cause (a missing path, a path
 * they may not read, a tree changed under our feet, a destination already
 * there) into GenledgerErrors, so a raw errno text never reaches the user for
 * an expected condition. Anything else is a bug or an environment failure and
 * is passed through unchanged.
 */

import { isGenledgerError, refused } from '../errors.js';

interface ErrnoLike {
  code: string;
  path?: unknown;
}

function isErrno(error: unknown): error is ErrnoLike {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

export function fileSystemError(error: unknown, fallbackPath: string): unknown {
  if (isGenledgerError(error) || !isErrno(error)) return error;
  const path = error.path === undefined ? fallbackPath : String(error.path);
  switch (error.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return refused('GENLEDGER_PATH_NOT_FOUND', `path '${path}' does not exist`);
    case 'EACCES':
    case 'EPERM':
      return refused('GENLEDGER_PATH_UNREADABLE', `cannot access '${path}': permission denied`);
    case 'ELOOP':
      return pathChanged(path);
    case 'EEXIST':
      return refused('GENLEDGER_PATH_EXISTS', `path '${path}' already exists`);
    case 'ENOSPC':
      return refused('GENLEDGER_DISK_FULL', `no space left on the device while writing '${path}'`, 'free some disk space and run the command again');
    case 'ENAMETOOLONG':
      return refused('GENLEDGER_PATH_TOO_LONG', `path '${path.slice(0, 80)}…' is too long for the file system`);
    default:
      return error;
  }
}

export function pathChanged(path: string): Error {
  return refused(
    'GENLEDGER_PATH_CHANGED',
    `'${path}' changed while it was being read`,
    'make sure nothing writes to the tree while it is added, then retry',
  );
}
