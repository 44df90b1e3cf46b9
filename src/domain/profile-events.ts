/**
 * The events of a profile stream and the facts each one records. Events
 * that produce a generation carry the patch from the manifest they were
 * decided on to the new one and the resulting profile store path, so replay
 * needs nothing but the log: it never resolves, reads catalogs or the clock.
 */
import type { Operation } from 'fast-json-patch';
import type { ElementSource, ProfileElement } from './profile-manifest.js';

export type ManifestVersion = 2 | 3;

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
};

export function hasGenerationFacts(event: ProfileEvent): event is Extract<ProfileEvent, { data: GenerationFacts }> {
  return 'profilePath' in event.data && 'patch' in event.data;
}
