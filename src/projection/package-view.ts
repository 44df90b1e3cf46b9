/**
 * The read-only view of store contents that buildenv needs, injected so that
 * the projection stays pure: the shell passes one backed by the file system,
 * tests and dry runs one backed by NAR listings. Paths are absolute strings,
 * exactly as buildenv builds them, so link targets come out byte-identical.
 */

export type PackageViewKind = 'directory' | 'file' | 'missing';

export interface PackageView {
  /** Follows symlinks, as stat(2) does. 'missing' for dangling links / ENOENT / ENOTDIR. */
  kind(path: string): PackageViewKind;
  /** Entry names of a directory (following symlinks); byte-sorted order is fine. */
  list(path: string): readonly string[];
  /** Fully resolved real path (realpath(3)). */
  realPath(path: string): string;
  /** Contents of a small text file, or null when unreadable (propagated-user-env-packages). */
  readText(path: string): string | null;
}
