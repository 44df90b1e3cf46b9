/**
 * The store paths a fleet cache must hold for this home: of every profile,
 * each live generation's profile path and element paths; of the system
 * profile, what `systemStorePaths` names. Deleted generations are left out:
 * nothing projects them, and a cache is no archive.
 */
import { listProfileStreams } from '../profile/profile-streams.js';
import { loadProfileState } from '../profile/profile-stream.js';
import type { Session } from '../session/session-context.js';
import { systemStorePaths } from '../system/system-store-paths.js';
import { loadSystemState, systemStream } from '../system/system-stream.js';

export async function liveStorePaths(session: Session): Promise<string[]> {
  const paths = new Set<string>();
  for (const stream of await listProfileStreams(session.ledger)) {
    const state = await loadProfileState(session, stream, { save: false });
    for (const generation of Object.values(state.generations)) {
      if (generation.deleted) continue;
      paths.add(generation.profilePath);
      for (const element of generation.manifest.elements) for (const path of element.storePaths) paths.add(path);
    }
  }
  if ((await session.ledger.head(systemStream)) !== null) for (const path of systemStorePaths(await loadSystemState(session.ledger))) paths.add(path);
  return [...paths].sort();
}
