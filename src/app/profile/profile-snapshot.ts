/**
 * Profile state snapshots: the folded state of a stream as of one of its
 * events, so that a command folds only the events appended since. A
 * snapshot is a cache, never a truth. It names the event it was folded to
 * (version and hash) and is used only while the stream still holds that
 * very event; one written by another build of genledger (whose upcasters
 * or state shape may differ) is ignored; `verify` compares it with a
 * fresh fold of the log and `replay` saves it afresh. Deleting it only
 * makes the next command fold from the first event again.
 */
import { version as genledgerVersion } from '../../version.js';
import { deepFreeze } from '../../domain/deep-freeze.js';
import type { ProfileState } from '../../domain/profile-state.js';
import type { Database } from '../../ledger/database.js';
import type { StreamHead } from '../../ledger/ledger.js';

export interface ProfileSnapshot {
  /** The build that folded it: snapshots from any other build are ignored. */
  readonly build: string;
  readonly version: number;
  readonly hash: string;
  readonly state: ProfileState;
}

/** Bumped whenever ProfileState or the fold changes shape, so older snapshots are never read. */
const format = 1;
const build = `${genledgerVersion}/${format}`;

/** How many events a command may fold past its snapshot before it saves a newer one. */
export const snapshotInterval = 32;

function space(database: Database) {
  return database.db.sublevel<string, string>('profile-snapshot', { valueEncoding: 'utf8' });
}

/** The stream's snapshot if it was made by this build and is still part of the stream's history as `head` shows it. */
export async function readSnapshot(database: Database, stream: string, head: StreamHead | null): Promise<ProfileSnapshot | null> {
  if (head === null) return null;
  const text = await space(database).get(stream);
  if (text === undefined) return null;
  const snapshot = parseSnapshot(text);
  if (snapshot === null || snapshot.version > head.version || (snapshot.version === head.version && snapshot.hash !== head.hash)) return null;
  return snapshot;
}

export async function writeSnapshot(database: Database, stream: string, head: StreamHead, state: ProfileState): Promise<void> {
  const snapshot: ProfileSnapshot = { build, version: head.version, hash: head.hash, state };
  await space(database).put(stream, JSON.stringify(snapshot));
}

function parseSnapshot(text: string): ProfileSnapshot | null {
  try {
    const snapshot = JSON.parse(text) as ProfileSnapshot;
    if (snapshot.build !== build || !Number.isInteger(snapshot.version) || typeof snapshot.hash !== 'string') return null;
    // Frozen like every state the fold returns; immer's own freeze then stops at it instead of walking it.
    return deepFreeze(snapshot);
  } catch {
    return null;
  }
}
