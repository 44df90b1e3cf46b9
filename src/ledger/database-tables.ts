/**
 * The table check made before LevelDB opens a database (table-check.ts
 * says why: a damaged table would abort the process). The live tables,
 * those the current manifest names, are read and checked; a table found
 * sound is remembered by name and size in `genledger-checked-tables`
 * inside the database directory (a name LevelDB never parses, so it
 * neither reads nor deletes it, and it moves with the database when
 * recover sets it aside). A table never changes once written, so a table
 * seen sound stays sound while it is the same file, unwritten: it is
 * remembered by its name, size, inode and change time (a write through
 * the file system, even one keeping the size, or a copy, changes the
 * last two, so the table is checked again). Later opens read only new
 * tables. Tables no longer live are forgotten.
 *
 * A table that fails while another process holds the database lock may be
 * changing under that writer (its manifest being appended), so it is not
 * judged then: the open waits for the lock and checks again before its
 * next attempt. With the lock free, a failing table is read once more
 * (the writer may have finished in between) and then is damage.
 *
 * The tables LevelDB writes while this process holds the lock (the open's
 * recovery, compactions) are remembered without being read, before the
 * lock is given up (`rememberTablesWrittenSince`): LevelDB computed their
 * checksums from what it wrote, as it did for every table remembered after
 * a check, and the next open would otherwise read megabytes of them again
 * after every compaction.
 *
 * A manifest that does not parse names no tables: every table file in the
 * directory is checked then, the safe side when LevelDB is about to read
 * a manifest that is itself damaged. LevelDB reads a table up to the size
 * its manifest records, so that is what is checked; a table shorter than
 * that is damage.
 */
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestTables } from './manifest-tables.js';
import { databaseLockHeld } from './table-lock.js';
import { tableProblem } from './table-check.js';

export const checkedTablesName = 'genledger-checked-tables';

/**
 * What is wrong with a live table of the database `dir` ("its table
 * 000029.ldb fails the check (block at 0 fails its checksum)"), or null
 * when every table is sound or cannot be judged now (the lock is held).
 * `remember: false` judges without writing the record (recover moves a
 * damaged database aside untouched).
 */
export function damagedTable(dir: string, options: { remember: boolean } = { remember: true }): string | null {
  if (checkTables(dir, options.remember) === null || databaseLockHeld(dir)) return null;
  return checkTables(dir, options.remember);
}

function checkTables(dir: string, remember: boolean): string | null {
  const tables = liveTables(dir);
  if (tables === null) return null;
  const checked = readChecked(dir);
  const sound = new Set<string>();
  let damage: string | null = null;
  for (const [name, size] of tables) {
    const key = identity(join(dir, name), size);
    if (key === null) continue;
    if (checked.has(key)) {
      sound.add(key);
      continue;
    }
    const problem = problemOf(join(dir, name), size);
    if (problem === null) sound.add(key);
    else damage ??= `its table ${name} fails the check (${problem})`;
  }
  if (remember && (sound.size !== checked.size || [...sound].some((key) => !checked.has(key)))) writeChecked(dir, sound);
  return damage;
}

/** The names of the live tables now, as the manifest names them; null when it cannot be read (then no table counts as written here). */
export function liveTableNames(dir: string): ReadonlySet<string> | null {
  // A database about to be created has none.
  if (!existsSync(join(dir, 'CURRENT'))) return new Set();
  const tables = manifestLiveTables(dir);
  return tables === null ? null : new Set(tables.keys());
}

/**
 * Remembers as sound the live tables not in `before` (the live tables when
 * this process opened the database): while it holds the lock, only its
 * LevelDB writes tables. Called before the lock is given up; nothing is
 * remembered when the manifest cannot be read then (a compaction may be
 * appending to it), and the next open checks those tables instead.
 */
export function rememberTablesWrittenSince(dir: string, before: ReadonlySet<string> | null): void {
  const tables = before === null ? null : manifestLiveTables(dir);
  if (before === null || tables === null) return;
  const checked = readChecked(dir);
  const remembered = new Set<string>();
  for (const key of checked) if (tables.has(key.slice(0, key.indexOf(' ')))) remembered.add(key);
  for (const [name, size] of tables) {
    if (before.has(name)) continue;
    const key = identity(join(dir, name), size);
    if (key !== null) remembered.add(key);
  }
  if (remembered.size !== checked.size || [...remembered].some((key) => !checked.has(key))) writeChecked(dir, remembered);
}

/** Table file name → the size LevelDB will read; null when the directory cannot be listed (opening it says why). */
function liveTables(dir: string): Map<string, number> | null {
  return tablesIn(dir, liveNumbers(dir));
}

/** As `liveTables`, but only as the manifest names them: null when it cannot be read. */
function manifestLiveTables(dir: string): Map<string, number> | null {
  const live = liveNumbers(dir);
  return live === null ? null : tablesIn(dir, live);
}

/** The table files of `dir` that `live` names, with the sizes it records; every table file, at its size, when `live` is null. */
function tablesIn(dir: string, live: ReadonlyMap<number, number> | null): Map<string, number> | null {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  const tables = new Map<string, number>();
  for (const name of names.filter((entry) => /^\d+\.(ldb|sst)$/.test(entry)).sort()) {
    const size = live === null ? fileSize(join(dir, name)) : live.get(Number.parseInt(name, 10));
    if (size !== undefined && size !== null) tables.set(name, size);
  }
  return tables;
}

function liveNumbers(dir: string): Map<number, number> | null {
  try {
    const manifest = /^(MANIFEST-\d+)\n$/.exec(readFileSync(join(dir, 'CURRENT'), 'latin1'))?.[1];
    return manifest === undefined ? null : manifestTables(readFileSync(join(dir, manifest)));
  } catch {
    return null;
  }
}

/** What a sound table is remembered by; null when it is gone (a writer removed it, or LevelDB's open reports it). */
function identity(path: string, size: number): string | null {
  try {
    const stats = statSync(path, { bigint: true });
    return `${path.slice(path.lastIndexOf('/') + 1)} ${size} ${stats.size} ${stats.ino} ${stats.ctimeNs}`;
  } catch {
    return null;
  }
}

function problemOf(path: string, size: number): string | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    // Gone or unreadable: a writer removed it, or LevelDB's open reports it.
    return null;
  }
  if (bytes.length < size) return `${bytes.length} bytes, shorter than the ${size} its manifest records`;
  return tableProblem(bytes.subarray(0, size));
}

function fileSize(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

function readChecked(dir: string): Set<string> {
  try {
    return new Set(readFileSync(join(dir, checkedTablesName), 'utf8').split('\n').filter((line) => line !== ''));
  } catch {
    return new Set();
  }
}

/** Best effort: the record only spares work, so a home that cannot be written is checked in full each time. */
function writeChecked(dir: string, sound: ReadonlySet<string>): void {
  const path = join(dir, checkedTablesName);
  try {
    writeFileSync(`${path}.tmp`, [...sound].sort().map((key) => `${key}\n`).join(''));
    renameSync(`${path}.tmp`, path);
  } catch {
    // Left as it was: the next open checks the tables again.
  }
}
