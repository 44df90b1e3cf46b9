/**
 * What `gc` is asked to do and what it reports, whichever collector runs
 * it (genledger's own on the embedded store, Nix's on a Nix store).
 */
export interface GcOptions {
  readonly dryRun: boolean;
  readonly maxFreed?: number;
  readonly deleteUnknown?: boolean;
  /**
   * A dry run only: root links to count as gone (the generation links `gc
   * --keep` would remove first), so the preview is the collection that
   * follows their removal.
   */
  readonly removedRoots?: ReadonlySet<string>;
}

export interface GcRun {
  readonly dryRun: boolean;
  readonly deleted: readonly string[];
  readonly bytes: number;
  /** Entries an interrupted collection left behind (its plan named them, their records are gone): removed. */
  readonly removedInterrupted: readonly string[];
  /** Temporary entries of processes that are gone: removed. */
  readonly removedTemporary: readonly string[];
  /** Unknown entries named like store paths, removed by `--delete-unknown`. */
  readonly removedUnknown: readonly string[];
  /** Entries this home does not know: kept. */
  readonly unknown: readonly string[];
}
