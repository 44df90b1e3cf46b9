/**
 * The view of a profile's live generations that the generation rules work
 * on: number, creation time in epoch seconds (the link's mtime) and store path.
 */
import type { GenerationSummary } from './generation-rules.js';
import { liveGenerations } from './profile-state.js';
import type { ProfileState } from './profile-state.js';

export function generationSummaries(state: ProfileState): GenerationSummary[] {
  return liveGenerations(state).map((generation) => ({
    number: generation.number,
    createdAt: Math.floor(Date.parse(generation.createdAt) / 1000),
    storePath: generation.profilePath,
  }));
}
