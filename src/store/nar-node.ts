/**
 * The in-memory model of a file-system object as NAR sees it: a regular file
 * (contents and the executable bit), a symlink (its raw target) or a
 * directory (entries by name). Projections build trees of these values so a
 * profile's NAR hash, and so its store path, is known before any disk write.
 */

export type NarNode = NarRegular | NarSymlink | NarDirectory;

export interface NarRegular {
  readonly type: 'regular';
  readonly executable: boolean;
  readonly contents: Uint8Array;
}

export interface NarSymlink {
  readonly type: 'symlink';
  readonly target: string;
}

export interface NarDirectory {
  readonly type: 'directory';
  /** Entry names are compared byte-wise when serialised, whatever the map's order. */
  readonly entries: ReadonlyMap<string, NarNode>;
}
