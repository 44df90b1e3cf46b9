/**
 * `genledger profiles`: every profile stream with its current generation,
 * number of packages and the NAR size of its current closure.
 */
import { currentGeneration } from '../../domain/profile-state.js';
import { loadProfileState } from './profile-stream.js';
import { listProfileStreams } from './profile-streams.js';
import type { Session } from '../session/session-context.js';

export interface ProfileSummary {
  profile: string;
  generation: number | null;
  elements: number;
  closureSize: number;
}

export async function listProfiles(session: Session): Promise<ProfileSummary[]> {
  const summaries: ProfileSummary[] = [];
  for (const stream of await listProfileStreams(session.ledger)) {
    const state = await loadProfileState(session, stream);
    const current = currentGeneration(state);
    let closureSize = 0;
    if (current !== null && (await session.store.isValid(current.profilePath))) {
      for (const path of await session.store.closure([current.profilePath])) closureSize += (await session.store.requireInfo(path)).narSize;
    }
    summaries.push({ profile: stream, generation: state.current, elements: current?.manifest.elements.length ?? 0, closureSize });
  }
  return summaries;
}
