/**
 * Big profile builds write their trees with the database lock given up,
 * so that a reader (`profile list`, `log`) waits at most for the deciding
 * and the append, not for tens of thousands of file-system entries. The
 * command is decided under the lock (that is what fixes the profile store
 * path); the trees are written under temporary names without it
 * (ProfileBuilder.writeAhead); once the lock is back, a stream that moved
 * meanwhile means deciding again, and the rename into the store, the
 * record and the append happen under the lock, in the usual order.
 * The packages the trees link to are temporary roots of the process
 * (temp-roots.ts) before the lock is given up, so a gc meanwhile keeps
 * them. The written trees are synced (one syncfs) before the lock is taken back:
 * on a disk that writeback is most of the cost, and the barrier before
 * the records then has little left to flush. Small builds stay under the lock: giving it up costs a close and an
 * open of the database, more than writing a few thousand entries.
 */
import { syncFileSystems } from '../../fsx/sync-file-system.js';
import type { FsOp } from '../../projection/fs-op.js';
import type { ProfileBuilder } from './profile-builder.js';
import { writingTree } from './profile-projector.js';
import type { Session } from '../session/session-context.js';

/** From this many entries in a tree to build, it is written without the lock. */
export const unlockedBuildEntries = 5_000;

/** Writes the big trees `ops` builds with the lock given up; false (nothing done) when there is none. */
export async function writeBigTreesUnlocked(session: Session, ops: readonly FsOp[], builder: ProfileBuilder): Promise<boolean> {
  const big = ops.filter((op) => op.op === 'build' && builder.entryCount(op.path) >= unlockedBuildEntries).map((op) => op.path);
  // Nix's daemon writes a tree as it receives it, under its own temporary root: there is nothing to write ahead.
  if (big.length === 0 || session.store.kind === 'nix') return false;
  await session.store.addTempRoots(session.world.pid, big.flatMap((path) => builder.referencesOf(path)));
  await session.unlocked(async () => {
    builder.writeAhead(big, { pid: session.world.pid, faults: session.faults, onEntries: writingTree(session) });
    syncFileSystems([session.store.location.physicalDir]);
  });
  return true;
}

/** Whether another writer appended to `stream` since it was at `version`. */
export async function streamMoved(session: Session, stream: string, version: number): Promise<boolean> {
  return ((await session.ledger.head(stream))?.version ?? 0) !== version;
}
