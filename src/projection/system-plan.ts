/**
 * Reconciliation of the system layout with the disk, as a pure function:
 * the link operations of `planLinks` for the profile part, then the boot
 * loader files whose bytes differ, the generation entries no longer planned
 * (only names genledger writes: other files in the entries directory are
 * left alone), and last the run links, so `run/current-system` moves only
 * once the generation it may point at is in place.
 */
import { isEntryFileName } from '../domain/boot-entries.js';
import type { FsOp } from './fs-op.js';
import { describeFsOp } from './fs-op.js';
import { planLinks } from './link-plan.js';
import type { ReadEntry } from './link-plan.js';
import type { SystemLayout } from './system-layout.js';

export type SystemOp =
  | FsOp
  /** Write a boot loader file atomically (temp file + rename). */
  | { readonly op: 'write'; readonly path: string; readonly content: string }
  /** Remove a boot loader file genledger wrote and no longer plans. */
  | { readonly op: 'remove'; readonly path: string };

export interface SystemDisk {
  readonly entry: ReadEntry;
  /** A regular file's content, or null when there is none. */
  readonly file: (path: string) => string | null;
  /** The names in a directory; empty when it does not exist. */
  readonly names: (dir: string) => readonly string[];
}

export function planSystemOps(layout: SystemLayout, disk: SystemDisk): SystemOp[] {
  const ops: SystemOp[] = [...planLinks(layout.profile, disk.entry)];
  for (const [path, content] of layout.bootFiles) {
    if (disk.file(path) !== content) ops.push({ op: 'write', path, content });
  }
  const { entriesDir } = layout;
  for (const name of entriesDir === null ? [] : [...disk.names(entriesDir)].sort()) {
    const path = `${entriesDir}/${name}`;
    if (isEntryFileName(name) && !layout.bootFiles.has(path)) ops.push({ op: 'remove', path });
  }
  for (const { path, desired } of layout.runLinks) {
    const actual = disk.entry(path);
    if (desired === null) {
      if (actual.kind === 'symlink') ops.push({ op: 'unlink', path });
    } else if (actual.kind !== 'symlink' || actual.target !== desired.target || actual.mtime !== desired.mtime) {
      ops.push({ op: 'link', ...desired });
    }
  }
  return ops;
}

export function describeSystemOp(op: SystemOp): string {
  switch (op.op) {
    case 'write':
      return `write ${op.path}`;
    case 'remove':
      return `remove ${op.path}`;
    default:
      return describeFsOp(op);
  }
}
