/**
 * The cheap checks of a LevelDB directory's own files, made before the
 * native library is given it. LevelDB trusts its directory: it reads
 * CURRENT, the manifest and the logs to their end (a FIFO there never
 * ends, nor does a link to /dev/zero, so the command hangs), and it
 * reports a directory or a device in place of a table as an "IO error",
 * which is damage, not the disk. So every file that holds LevelDB's
 * records (CURRENT, MANIFEST-*, *.ldb, *.sst, *.log) must be a regular
 * file, not a link, and LOCK must not be a directory (LevelDB cannot
 * take it). LOG and LOG.old hold only LevelDB's own messages, which it
 * rotates on every open, so they are left alone.
 *
 * Only names and types are read, never contents: another process may be
 * writing the database, and a file it removes between the listing and
 * the look is no damage. The records themselves are LevelDB's to check
 * (with their checksums) when it reads them.
 */
import { lstatSync, readdirSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { join } from 'node:path';

/** LevelDB's files that hold records, and so must be regular files. */
const recordFileName = /^(CURRENT|MANIFEST-\d+|\d+\.(ldb|sst|log))$/;

/**
 * What is wrong with the files of the database directory `dir`, in a few
 * words ("its CURRENT file is a FIFO"), or null when they may be handed to
 * LevelDB. A directory that cannot be listed is not judged here: opening
 * it reports why (missing, permission).
 */
export function databaseFilesProblem(dir: string): string | null {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  for (const name of names.sort()) {
    const stats = lstatOrNull(join(dir, name));
    if (stats === null) continue;
    if (recordFileName.test(name) && !stats.isFile()) return `its ${name} file is ${describeKind(stats)}`;
    if (name === 'LOCK' && stats.isDirectory()) return 'its LOCK file is a directory';
  }
  return null;
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

function describeKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  return 'a device';
}
