/**
 * Ways to damage one of LevelDB's files in a home's `db` directory, for
 * the damaged-database matrix: cutting it short, flipping bytes, garbage,
 * and putting something that is not a regular file in its place. Tests run
 * as root, where chmod 000 denies nothing, so "unreadable" is a directory
 * in the file's place. Every damage is deterministic (garbage is seeded).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { int, seededRandom } from './seeded-random.js';

export type FileKind = 'CURRENT' | 'MANIFEST' | 'table' | 'log' | 'LOG' | 'LOCK';

export const fileKinds: readonly FileKind[] = ['CURRENT', 'MANIFEST', 'table', 'log', 'LOG', 'LOCK'];

/** The file of `kind` in `db`: the largest table, the newest log (which holds the last command's writes). */
export function fileOfKind(db: string, kind: FileKind): string {
  const names = readdirSync(db).sort();
  const of = (test: (name: string) => boolean) => names.filter(test);
  const candidates: Record<FileKind, () => string[]> = {
    CURRENT: () => of((name) => name === 'CURRENT'),
    MANIFEST: () => of((name) => name.startsWith('MANIFEST-')),
    table: () => of((name) => name.endsWith('.ldb')).sort((a, b) => statSync(join(db, a)).size - statSync(join(db, b)).size),
    log: () => of((name) => name.endsWith('.log')),
    LOG: () => of((name) => name === 'LOG'),
    LOCK: () => of((name) => name === 'LOCK'),
  };
  const found = candidates[kind]();
  const last = found[found.length - 1];
  if (last === undefined) throw new Error(`no ${kind} file in ${db}: ${names.join(' ')}`);
  return join(db, last);
}

function flipAt(where: (length: number) => number): (path: string) => void {
  return (path) => {
    const bytes = readFileSync(path);
    if (bytes.length === 0) return;
    const at = where(bytes.length);
    bytes[at] = (bytes[at] as number) ^ 0xff;
    writeFileSync(path, bytes);
  };
}

function replaceWith(make: (path: string) => void): (path: string) => void {
  return (path) => {
    rmSync(path);
    make(path);
  };
}

export const damages: Readonly<Record<string, (path: string) => void>> = {
  'truncated to 0': (path) => truncateSync(path, 0),
  'truncated to half': (path) => truncateSync(path, Math.floor(statSync(path).size / 2)),
  'one byte short': (path) => truncateSync(path, Math.max(0, statSync(path).size - 1)),
  'first byte flipped': flipAt(() => 0),
  'middle byte flipped': flipAt((length) => Math.floor(length / 2)),
  'last byte flipped': flipAt((length) => length - 1),
  'random garbage': (path) => {
    const random = seededRandom(statSync(path).size);
    writeFileSync(path, Buffer.from(Array.from({ length: Math.max(64, statSync(path).size) }, () => int(random, 256))));
  },
  'a directory (unreadable)': replaceWith((path) => mkdirSync(path)),
  'a FIFO': replaceWith((path) => execFileSync('mkfifo', [path])),
  'a link to /dev/zero': replaceWith((path) => symlinkSync('/dev/zero', path)),
  removed: (path) => rmSync(path),
};

/** Flips `count` seeded bytes (xor with a non-zero byte) of `path`; returns the offsets. */
export function flipSeededBytes(path: string, seed: number, count: number): number[] {
  const random = seededRandom(seed);
  const bytes = readFileSync(path);
  const offsets: number[] = [];
  for (let n = 0; n < count && bytes.length > 0; n++) {
    const at = int(random, bytes.length);
    bytes[at] = (bytes[at] as number) ^ (1 + int(random, 255));
    offsets.push(at);
  }
  writeFileSync(path, bytes);
  return offsets;
}
