/**
 * What is at a path now, in the terms link plans compare: a symlink with
 * its raw target text and mtime (seconds), something else, or nothing.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import type { ActualEntry } from '../projection/link-plan.js';

export function readEntry(path: string): ActualEntry {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return { kind: 'missing' };
  }
  if (!stat.isSymbolicLink()) return { kind: 'other' };
  return { kind: 'symlink', target: readlinkSync(path), mtime: Math.floor(stat.mtimeMs / 1000) };
}
