/**
 * Small files that must survive a power cut exactly as last written (the
 * ledger head file, the home marker): written as a temporary file in the
 * same directory, fsync'd, renamed onto the name, and the directory
 * fsync'd, so after a crash the name holds the old bytes or the new ones,
 * never half of them, and a completed write is on disk.
 *
 * The temporary file has a fixed name (`.NAME.tmp`), overwritten by the
 * next write after a crash left it behind: every caller writes under the
 * home's database lock, so no two writers share it.
 *
 * A failure before the rename leaves the old file untouched (`renamed` is
 * false on the error); a failure after it (the directory's fsync) means the
 * new bytes are visible but perhaps not durable (`renamed` is true).
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface DurableWriteError extends NodeJS.ErrnoException {
  renamed: boolean;
}

export function writeFileDurably(path: string, text: string): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.tmp`);
  try {
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw Object.assign(error as Error, { renamed: false });
  }
  try {
    syncDirectory(dir);
  } catch (error) {
    throw Object.assign(error as Error, { renamed: true });
  }
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The file's text, or null when it does not exist. */
export function readFileIfPresent(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export function isDurableWriteError(error: unknown): error is DurableWriteError {
  return error instanceof Error && typeof (error as { renamed?: unknown }).renamed === 'boolean';
}
