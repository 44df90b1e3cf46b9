/**
 * File operations as data: what a projection wants done to the disk. The
 * shell (`src/fsx`) carries them out; `--dry-run` prints them instead.
 */

export type FsOp =
  /** Create or replace a generation link or GC root atomically (temp link + rename). */
  | { readonly op: 'link'; readonly path: string; readonly target: string; readonly mtime: number }
  /** Point the profile link at a generation link atomically, as Nix's switchLink. */
  | { readonly op: 'switch'; readonly path: string; readonly target: string; readonly mtime: number }
  | { readonly op: 'unlink'; readonly path: string }
  /** Materialise a profile store path from its manifest. */
  | { readonly op: 'build'; readonly path: string };

export function describeFsOp(op: FsOp): string {
  switch (op.op) {
    case 'link':
      return `link ${op.path} -> ${op.target}`;
    case 'switch':
      return `switch ${op.path} -> ${op.target}`;
    case 'unlink':
      return `remove ${op.path}`;
    case 'build':
      return `build ${op.path}`;
  }
}
