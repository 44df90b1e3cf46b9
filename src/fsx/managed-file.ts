/**
 * Plain files a projection owns (the boot loader's entries and
 * loader.conf): read for comparison, written atomically as a temporary
 * file renamed onto the name, so a reader (a boot loader) sees the old
 * bytes or the new ones, never half of them, and removed.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function readManagedFile(path: string): string | null {
  try {
    return lstatSync(path).isFile() ? readFileSync(path, 'utf8') : null;
  } catch {
    return null;
  }
}

export function listNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function writeManagedFile(path: string, content: string, pid: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(temp, content, { mode: 0o644, flag: 'wx' });
    clearNonFile(path);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function removeManagedFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** rename(2) cannot replace a directory with a file: a hand-made directory in a file's place goes first. */
function clearNonFile(path: string): void {
  try {
    if (lstatSync(path).isDirectory()) rmSync(path, { recursive: true, force: true });
  } catch {
    return;
  }
}
