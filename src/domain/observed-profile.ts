/**
 * A profile directory as found on disk, whoever wrote it (Nix, genledger,
 * a hand): its generation links with their targets, mtimes and owners, and
 * where the profile link points. Only names of the exact form
 * `<base>-N-link` count as generation links here; other names Nix's
 * substring rule would also read as generations (say `p-3-link.tmp-…`) are
 * strays. The current generation is null when the profile link is missing,
 * names no generation link, or names one that is not there.
 */
import type { ManifestVersion, ObservedFormat } from './profile-events.js';
import type { ProfileManifest } from './profile-manifest.js';

export interface ObservedLink {
  readonly number: number;
  /** The link's target text: a store path. */
  readonly target: string;
  /** ISO time of the link's own mtime. */
  readonly mtime: string;
  readonly owner: number;
}

export interface ObservedLinks {
  /** Ascending by number. */
  readonly generations: readonly ObservedLink[];
  readonly current: number | null;
  /** The profile link's mtime, when it names a current generation. */
  readonly currentSince: string | null;
  readonly currentOwner: number | null;
  /** Entries Nix would read as generations but genledger never writes. */
  readonly strays: readonly { readonly name: string; readonly number: number }[];
}

/** The manifest found inside a generation's store path. */
export interface ObservedManifest {
  readonly manifest: ProfileManifest;
  /** The version genledger writes the profile's next generation in: 3 for a version 3 manifest, 'nix-env' for a manifest.nix that rebuilds as its generation, else 2. */
  readonly manifestVersion: ManifestVersion;
  readonly format: ObservedFormat;
}
