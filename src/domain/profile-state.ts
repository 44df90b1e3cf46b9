/**
 * The state of one profile, folded from its events: every generation ever
 * created (deleted ones are kept, flagged, because history never forgets),
 * the current generation, and the switches that led there (for `undo`).
 */
import type { ManifestVersion } from './profile-events.js';
import type { ProfileManifest } from './profile-manifest.js';

export interface Generation {
  readonly number: number;
  /** ISO time of the event that created it: the generation link's mtime. */
  readonly createdAt: string;
  readonly profilePath: string;
  readonly manifest: ProfileManifest;
  readonly manifestVersion: ManifestVersion;
  readonly deleted: boolean;
}

export interface Switch {
  readonly from: number | null;
  readonly to: number;
  readonly at: string;
}

export interface ProfileState {
  readonly exists: boolean;
  /** The stream version this state was folded to (the expected version for the next append). */
  readonly version: number;
  readonly generations: Readonly<Record<number, Generation>>;
  readonly current: number | null;
  /** ISO time at which the current generation became current: the profile link's mtime. */
  readonly currentSince: string | null;
  readonly highestCreated: number;
  readonly switches: readonly Switch[];
}

export const initialProfileState: ProfileState = {
  exists: false,
  version: 0,
  generations: {},
  current: null,
  currentSince: null,
  highestCreated: 0,
  switches: [],
};

export function liveGenerations(state: ProfileState): Generation[] {
  return Object.values(state.generations)
    .filter((generation) => !generation.deleted)
    .sort((a, b) => a.number - b.number);
}

export function currentGeneration(state: ProfileState): Generation | null {
  return state.current === null ? null : (state.generations[state.current] ?? null);
}
