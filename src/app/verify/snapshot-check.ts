/**
 * `verify`'s look at the profile snapshots: each one commands would start
 * from must equal a fresh fold of its stream up to the event it names. One
 * that does not is a damaged cache, reported so that `replay`, which saves
 * every snapshot afresh, can be run.
 */
import type { Database } from '../../ledger/database.js';
import { canonicalJson } from '../../ledger/canonical-json.js';
import type { StoredEvent } from '../../ledger/event.js';
import { readSnapshot } from '../profile/profile-snapshot.js';
import { foldProfile } from '../profile/profile-stream.js';
import { replayAdvice } from './problem-fix.js';

export async function snapshotProblems(database: Database, stream: string, events: readonly StoredEvent[]): Promise<Array<{ kind: 'snapshot'; stream: string; message: string }>> {
  const last = events[events.length - 1];
  const snapshot = await readSnapshot(database, stream, last === undefined ? null : { version: last.version, hash: last.hash });
  if (snapshot === null) return [];
  // One that names no event of the stream is never used (commands fold from the start instead), so it harms nothing.
  if (events[snapshot.version - 1]?.hash !== snapshot.hash) return [];
  if (canonicalJson(foldProfile(events.slice(0, snapshot.version))) === canonicalJson(snapshot.state)) return [];
  return [{ kind: 'snapshot', stream, message: `the cached state of profile '${stream}' at version ${snapshot.version} differs from its events; ${replayAdvice}` }];
}
