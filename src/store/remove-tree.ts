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
 * is all it takes. Entries that vanish meanwhile are fine: gone is the goal,
 * so two removals of the same tree (two collections emptying the trash at
 * once) both succeed.
 */
import * as fs from 'node:fs';

/** The calls a removal makes, passed in so that a worker thread can run the same code (`removal-helper.ts`). */
export type RemovalFs = Pick<typeof fs, 'chmodSync' | 'lstatSync' | 'readdirSync' | 'rmdirSync' | 'unlinkSync'>;

export function removeTree(path: string): void {
  removeTreeWith(fs, path);
}

/**
 * The removal itself. It must stay self-contained, using nothing but its
 * parameters and globals: `removal-helper.ts` runs its source text in a
 * worker thread, where no module of ours is loaded.
 *
 * Names are listed as strings, the cheap case; a directory holding a name
 * that is not UTF-8 (decoded, it shows U+FFFD and names no file) is listed
 * again as raw bytes, and its entries are removed by byte paths.
 */
export function removeTreeWith(files: RemovalFs, path: string): void {
  const unlessGone = (remove: () => void): void => {
    try {
      remove();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  };
  const removeEntry = (entry: string | Buffer, isDirectory: boolean): void =>
    isDirectory ? unlessGone(() => removeDirectory(entry)) : unlessGone(() => files.unlinkSync(entry));
  const removeDirectory = (directory: string | Buffer): void => {
    files.chmodSync(directory, 0o755);
    if (typeof directory !== 'string' || !removeEntriesByName(directory)) removeEntriesByBytes(directory);
    files.rmdirSync(directory);
  };
  /** False, having removed nothing, when a name is not UTF-8. */
  const removeEntriesByName = (directory: string): boolean => {
    const entries = files.readdirSync(directory, { withFileTypes: true });
    if (entries.some((entry) => entry.name.includes('\uFFFD'))) return false;
    for (const entry of entries) removeEntry(`${directory}/${entry.name}`, entry.isDirectory());
    return true;
  };
  const removeEntriesByBytes = (directory: string | Buffer): void => {
    const prefix = Buffer.concat([Buffer.from(directory), Buffer.from('/')]);
    for (const entry of files.readdirSync(directory, { withFileTypes: true, encoding: 'buffer' })) removeEntry(Buffer.concat([prefix, entry.name]), entry.isDirectory());
  };
  const stat = files.lstatSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return;
  removeEntry(path, stat.isDirectory());
}
