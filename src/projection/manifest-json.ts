/**
 * The content of a profile's `manifest.json`, whatever version it was read
 * from: elements with a unique name, an active flag, a priority (lower wins
 * in buildenv), store paths, and where the element was resolved from.
 * Writing is in `manifest-render.ts`, reading in `manifest-parse.ts`.
 */

export const DEFAULT_PRIORITY = 5;

export type ManifestVersion = 1 | 2 | 3;

export interface ManifestSource {
  /** The reference as given, e.g. `path:/tmp/demo/flk` (`originalUri` in version 1). */
  readonly originalUrl: string;
  /** The locked reference (`uri` in version 1). */
  readonly url: string;
  readonly attrPath: string;
  /** Since 2.9: absent or null = the default outputs, `['*']` = all, else output names. */
  readonly outputs?: readonly string[] | null;
}

export interface ManifestElement {
  readonly name: string;
  readonly active: boolean;
  readonly priority: number;
  readonly storePaths: readonly string[];
  readonly source?: ManifestSource;
}

export interface Manifest {
  /** The version the manifest was read from. */
  readonly version: ManifestVersion;
  /** In the order the file lists them (version 3: by name, byte order). */
  readonly elements: readonly ManifestElement[];
}
