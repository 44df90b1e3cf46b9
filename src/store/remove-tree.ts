/**
 * Deletes a store object or a temporary tree, never following symlinks.
 * Store directories are read-only (0555), which stops an unprivileged
 * unlink inside them, so each directory is made writable before its
 * entries go; files and symlinks need no permission of their own to be
 * unlinked, so they are never touched.
 *
 * Why not `rmSync(recursive)`: it lstat's every entry, which doubles the
 * system calls for a tree of small files or links (a profile path holds
 * tens of thousands of symlinks). The directory listing already says what
 * each entry is, so one unlink per file or link and one rmdir per directory
 * is all it takes. Entries that vanish meanwhile are fine: gone is the goal.
 *
 * Names are listed as strings, the cheap case; a directory holding a name
 * that is not UTF-8 (decoded, it shows U+FFFD and names no file) is listed
 * again as raw bytes, and its entries are removed by byte paths.
 */
import { chmodSync, lstatSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';

export function removeTree(path: string): void {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return;
  removeEntry(path, stat.isDirectory());
}

function removeEntry(entry: string | Buffer, isDirectory: boolean): void {
  if (isDirectory) removeDirectory(entry);
  else unlinkUnlessGone(entry);
}

function removeDirectory(directory: string | Buffer): void {
  chmodSync(directory, 0o755);
  if (typeof directory !== 'string' || !removeEntriesByName(directory)) removeEntriesByBytes(directory);
  rmdirSync(directory);
}

/** False, having removed nothing, when a name is not UTF-8. */
function removeEntriesByName(directory: string): boolean {
  const entries = readdirSync(directory, { withFileTypes: true });
  if (entries.some((entry) => entry.name.includes('\uFFFD'))) return false;
  for (const entry of entries) removeEntry(`${directory}/${entry.name}`, entry.isDirectory());
  return true;
}

function removeEntriesByBytes(directory: string | Buffer): void {
  const prefix = Buffer.concat([Buffer.from(directory), Buffer.from('/')]);
  for (const entry of readdirSync(directory, { withFileTypes: true, encoding: 'buffer' })) removeEntry(Buffer.concat([prefix, entry.name]), entry.isDirectory());
}

function unlinkUnlessGone(entry: string | Buffer): void {
  try {
    unlinkSync(entry);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
