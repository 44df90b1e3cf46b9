/**
 * The events of a profile stream and the facts each one records. Events
 * that produce a generation carry the patch from the manifest they were
 * decided on to the new one and the resulting profile store path, so replay
 * needs nothing but the log: it never resolves, reads catalogs or the clock.
 */
import type { Operation } from 'fast-json-patch';
import type { Actor } from '../world.js';
import type { ElementSource, ProfileElement } from './profile-manifest.js';

/** How a generation's manifest is written: manifest.json version 2 or 3 (`nix profile`), or a nix-env user environment. */
export type ManifestVersion = 2 | 3 | 'nix-env';

export interface GenerationFacts {
  /** The generation the profile points at afterwards. */
  readonly generation: number;
  /** False when the highest generation already had this profile path (Nix reuses it). */
  readonly created: boolean;
  /** The generation whose manifest `patch` applies to (0: the empty manifest). */
  readonly base: number;
  readonly patch: readonly Operation[];
  readonly profilePath: string;
  readonly manifestVersion: ManifestVersion;
}

export interface InstalledElement {
  readonly name: string;
  readonly storePaths: readonly string[];
  readonly priority: number;
  readonly source?: ElementSource;
  /** The installable as the user typed it. */
  readonly installable: string;
}

export interface UpgradedElement {
  readonly name: string;
  readonly from: { readonly storePaths: readonly string[]; readonly url?: string };
  readonly to: { readonly storePaths: readonly string[]; readonly url?: string };
}

/** How one package changed from a generation's base to it, by element name (for `log --package` and `blame`). */
export interface PackageChange {
  readonly name: string;
  readonly change: 'installed' | 'removed' | 'upgraded' | 'priority';
  /** The element's store paths afterwards (for a removal, before). */
  readonly storePaths: readonly string[];
}

/** What an adopted generation's manifest was read from. */
export type ObservedFormat = 'manifest.json v1' | 'manifest.json v2' | 'manifest.json v3' | 'manifest.nix';

/**
 * A generation genledger did not make, as read from disk: its link (number,
 * target, mtime, owner) and the manifest inside its store path. `base` is
 * the generation it is taken to have been built from (see
 * profile-adoption.ts); `patch` and `changes` are relative to it.
 */
export interface ObservedGeneration extends GenerationFacts {
  /** The generation link's mtime: when it was made. */
  readonly createdAt: string;
  readonly format: ObservedFormat;
  /** The uid owning the link: as close as the disk comes to saying who made it. */
  readonly linkOwner: number;
  readonly changes: readonly PackageChange[];
}

export interface ProfileEventMap {
  ProfileCreated: { readonly profile: string };
  PackagesInstalled: GenerationFacts & { readonly installed: readonly InstalledElement[] };
  PackagesRemoved: GenerationFacts & { readonly removed: readonly ProfileElement[] };
  PackagesUpgraded: GenerationFacts & { readonly upgraded: readonly UpgradedElement[] };
  PriorityChanged: GenerationFacts & { readonly name: string; readonly from: number; readonly to: number };
  GenerationRestored: GenerationFacts & { readonly restored: number };
  GenerationSwitched: {
    readonly from: number | null;
    readonly to: number;
    readonly how: 'rollback' | 'switch' | 'undo';
    /** Present when the switch brings the empty generation 0 into existence. */
    readonly emptyGeneration?: { readonly profilePath: string; readonly manifestVersion: ManifestVersion };
  };
  GenerationsDeleted: { readonly generations: readonly number[]; readonly spec: readonly string[] };
  HistoryWiped: { readonly generations: readonly number[]; readonly olderThan?: string };
  /** One generation of a Nix profile taken over by `import-nix`, dated by its link's mtime. */
  GenerationImported: ObservedGeneration & { readonly source: string };
  /** Closes an import: where the profile pointed (dated by the profile link's mtime) and who imported it. */
  ProfileImported: {
    readonly source: string;
    readonly generations: readonly number[];
    /** Numbers below the highest that Nix had already deleted, as [from, to] ranges: they never exist here. */
    readonly gaps: readonly (readonly [number, number])[];
    readonly current: number | null;
    readonly importedBy: Actor;
    readonly importedAt: string;
  };
  /** `adopt`: links changed outside genledger, recorded as found, so the state matches the disk again. */
  ExternalChangeObserved: {
    /** Generations whose links appeared, came back or point elsewhere. */
    readonly generations: readonly ObservedGeneration[];
    /** Generations whose links are gone. */
    readonly deleted: readonly number[];
    /** Present when the profile link points elsewhere; `since` is its mtime. */
    readonly current?: { readonly from: number | null; readonly to: number | null; readonly since: string | null };
  };
  /**
   * Never stored: what a reader sees in place of a quarantined event
   * (`genledger quarantine`), so folds skip it while the stream keeps its
   * versions. `type` and `hash` name the event it stands for.
   */
  EventQuarantined: { readonly type: string; readonly hash: string; readonly rule: string };
}

export type ProfileEventType = keyof ProfileEventMap;

export type ProfileEvent = {
  [K in ProfileEventType]: { readonly type: K; readonly data: ProfileEventMap[K] };
}[ProfileEventType];

/** Schema version of each event type as written today (see migrations/events for older ones). */
export const profileEventVersions: Record<ProfileEventType, number> = {
  ProfileCreated: 1,
  PackagesInstalled: 2,
  PackagesRemoved: 1,
  PackagesUpgraded: 1,
  PriorityChanged: 1,
  GenerationRestored: 1,
  GenerationSwitched: 1,
  GenerationsDeleted: 1,
  HistoryWiped: 1,
  GenerationImported: 1,
  ProfileImported: 1,
  ExternalChangeObserved: 1,
  EventQuarantined: 1,
};

export function hasGenerationFacts(event: ProfileEvent): event is Extract<ProfileEvent, { data: GenerationFacts }> {
  return 'profilePath' in event.data && 'patch' in event.data;
}
