/**
 * Temporary directories for the reliability tests, removed afterwards even
 * though store contents are read-only (directories are made writable first,
 * as `chmod -R u+w` would).
 */
import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Scratch {
  readonly dir: string;
  cleanup(): void;
}

/** `base`: where to make it (default the system's temporary directory). */
export function makeScratch(prefix: string, base: string = tmpdir()): Scratch {
  const dir = mkdtempSync(join(base, `genledger-rel-${prefix}-`));
  return { dir, cleanup: () => removeWritable(dir) };
}

export function removeWritable(path: string): void {
  makeWritable(path);
  rmSync(path, { recursive: true, force: true });
}

function makeWritable(path: string): void {
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    return;
  }
  if (!stats.isDirectory()) return;
  chmodSync(path, stats.mode | 0o700);
  for (const name of readdirSync(path)) makeWritable(join(path, name));
}
