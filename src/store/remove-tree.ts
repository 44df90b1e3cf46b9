/**
 * Deletes a store object or a temporary tree. Store contents are read-only
 * (directories 0555), which stops an unprivileged unlink inside them, so
 * directories are made writable on the way down.
 */
import { chmodSync, lstatSync, readdirSync, rmSync } from 'node:fs';

export function removeTree(path: string): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (stat.isDirectory()) makeWritable(path);
  rmSync(path, { recursive: true, force: true });
}

function makeWritable(directory: string): void {
  chmodSync(directory, 0o755);
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.isDirectory()) makeWritable(`${directory}/${entry.name}`);
  }
}
