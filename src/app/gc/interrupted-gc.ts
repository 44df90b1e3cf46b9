/**
 * Finishing a collection that was interrupted. A collection records its
 * plan (the GarbageCollected event, head of the gc stream) before it acts,
 * then deletes records, then moves trees into the trash, then empties it
 * without the lock. Killed anywhere, it leaves either a trash, or trees the
 * recorded plan names whose records are already gone. Such a tree is dead
 * by the plan and unknown to the registry, so it is this home's garbage and
 * nobody else's: it goes to the trash. A path the plan names that is
 * registered again (re-added since) is live and left alone.
 */
import { existsSync } from 'node:fs';
import { throttledStopPoint } from '../../interruption.js';
import { emptyTrash, moveToTrash, trashEntries } from '../../store/gc-trash.js';
import type { Session } from '../session/session-context.js';
import type { OwnStore } from '../../store/store.js';
import { gcStream } from '../session/bookkeeping-streams.js';

/** Store paths the last collection planned to delete that are still on disk without a record. */
export async function interruptedLeftovers(session: Session, store: OwnStore): Promise<string[]> {
  const head = await session.ledger.head(gcStream);
  if (head === null) return [];
  const [event] = await session.ledger.readStream(gcStream, head.version);
  const planned = (event?.data as { deleted?: unknown } | undefined)?.deleted;
  if (!Array.isArray(planned)) return [];
  const leftovers: string[] = [];
  for (const path of planned) {
    if (typeof path !== 'string' || !session.store.storeDir.isStorePath(path)) continue;
    if (existsSync(store.location.physical(path)) && !(await store.isRegistered(path))) leftovers.push(path);
  }
  return leftovers;
}

/**
 * Moves an interrupted collection's leftovers into the trash (under the
 * lock: it reads the registry) and leaves the emptying of the trash, which
 * needs no lock, for after the session.
 */
export async function finishInterruptedGc(session: Session, store: OwnStore): Promise<void> {
  const { location } = store;
  const leftovers = await interruptedLeftovers(session, store);
  moveToTrash(location, leftovers.map((path) => location.physical(path).slice(location.physicalDir.length + 1)), session.world.pid);
  if (trashEntries(location).length > 0) session.afterUnlock(() => emptyTrashWithProgress(session));
}

/** Empties the trash, stopping between two trees on a stop signal: the rest is left for the next gc. */
export async function emptyTrashWithProgress(session: Session): Promise<void> {
  const doing = 'deleting dead store paths';
  awaitingGc(session, doing);
  const safePoint = throttledStopPoint(session.world.interruption);
  await emptyTrash(session.store.location, async (taken, total) => {
    session.progress.step(doing, taken, total);
    await safePoint();
  });
}

/** Tells a stop signal's report that the collection is under way and that the next gc, not any command, finishes it. */
export function awaitingGc(session: Session, doing: string): void {
  const interruption = session.world.interruption;
  if (interruption !== undefined) Object.assign(interruption, { doing, pending: true, finishedBy: 'the next genledger gc' });
}

/** `verify`'s view: a trash or an interrupted plan's leftovers are a half-done collection. */
export async function halfDeletedProblems(session: Session): Promise<Array<{ kind: string; message: string; path?: string }>> {
  // Nix collects a Nix store, all at once: genledger leaves nothing half deleted there.
  if (session.store.kind === 'nix') return [];
  const problems: Array<{ kind: string; message: string; path?: string }> = (await interruptedLeftovers(session, session.store)).map((path) => ({
    kind: 'store-half-deleted',
    path,
    message: `path '${path}' was being deleted by an interrupted gc; run genledger gc`,
  }));
  const trashed = trashEntries(session.store.location).length;
  if (trashed > 0) problems.push({ kind: 'store-half-deleted', message: `${trashed} entries of an interrupted gc are left in the store's trash; run genledger gc` });
  return problems;
}
