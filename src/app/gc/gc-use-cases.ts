/**
 * `gc`, `root add` and `root remove`. Roots are found the way Nix finds
 * them, under the home's gcroots/, profiles/ and run/ directories; a
 * collection that deletes anything is recorded as a GarbageCollected event
 * (what was deleted, how many bytes) so the audit trail says who did it.
 */
import { accessSync, constants, lstatSync, readlinkSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { refused } from '../../errors.js';
import { removeLink, replaceLink } from '../../fsx/atomic-link.js';
import { indirectRootName } from '../../store/indirect-root.js';
import { isNixManagedStore } from '../../store/nix-managed.js';
import { envelope } from '../session/event-envelope.js';
import { awaitingGc, emptyTrashWithProgress, finishInterruptedGc, interruptedLeftovers } from './interrupted-gc.js';
import { trashEntries } from '../../store/gc-trash.js';
import { stopPoint, throttledStopPoint } from '../../interruption.js';
import { gcStream, rootsStream } from '../session/bookkeeping-streams.js';
import { processAlive } from '../session/process-alive.js';
import type { Session } from '../session/session-context.js';
import { autoRootsDir } from '../session/auto-roots.js';
import type { OwnStore } from '../../store/store.js';
import { collectThroughNix } from './nix-gc.js';
import { planOwnCollection } from './gc-insight.js';
import type { GcOptions, GcRun } from './gc-run.js';

/**
 * The plan is recorded before it is carried out: a collection killed half
 * way still says who decided to delete what, and the paths it did not get
 * to are finished by the next collection (`interrupted-gc.ts`). Roots are
 * those on disk, those of running processes (`runtime-roots.ts`) and the
 * paths this home's running processes are adding (`temp-roots.ts`). The
 * trees go to the trash under the lock; the trash is emptied after it.
 */
export async function runGarbageCollection(session: Session, options: GcOptions): Promise<GcRun> {
  const { store } = session;
  if (store.kind === 'nix') return collectThroughNix(session, store, options);
  return collectOwnStore(session, store, options);
}

async function collectOwnStore(session: Session, store: OwnStore, options: GcOptions): Promise<GcRun> {
  if (!options.dryRun && isNixManagedStore(store.location)) {
    throw refused(
      'GENLEDGER_NIX_MANAGED_STORE',
      `the store '${store.location.physicalDir}' is managed by Nix; genledger does not collect it`,
      "use Nix's own collector: nix-store --gc",
    );
  }
  // An interrupted collection's leftovers go first; a dry run names them instead of calling them unknown.
  const leftovers = (await interruptedLeftovers(session, store)).map((path) => relative(store.location.physicalDir, store.location.physical(path)));
  if (!options.dryRun) {
    await finishInterruptedGc(session, store);
    if (session.world.interruption !== undefined) session.world.interruption.doing = 'planning the collection';
    if (leftovers.length > 0 || trashEntries(store.location).length > 0) awaitingGc(session, 'planning the collection');
  }
  const { plan, tempRoots } = await planOwnCollection(session, store, options);
  const deleted = plan.dead.map((dead) => dead.path);
  const notLeftover = (entry: string) => !leftovers.includes(entry);
  const entries = { removedInterrupted: leftovers, removedTemporary: plan.temporary, removedUnknown: plan.unknownRemoved.filter(notLeftover), unknown: plan.unknown.filter(notLeftover) };
  if (options.dryRun) return { dryRun: true, deleted, bytes: plan.bytes, ...entries };
  const entriesRemoved = plan.temporary.length + plan.unknownRemoved.length;
  // The last point where stopping leaves nothing of this collection behind.
  await stopPoint(session.world.interruption);
  if (deleted.length > 0 || entriesRemoved > 0) {
    const head = await session.ledger.head(gcStream);
    const data = { deleted, bytesFreed: plan.bytes, junkRemoved: entriesRemoved, unknownRemoved: plan.unknownRemoved.length };
    await session.ledger.append(gcStream, head?.version ?? 0, [envelope(session.world, session.world.now(), { type: 'GarbageCollected', data }, 1, session.options.reason)]);
  }
  // From here the recorded plan is what the next gc finishes; stopping between two records leaves what a crash would.
  awaitingGc(session, 'forgetting dead store paths');
  const safePoint = throttledStopPoint(session.world.interruption);
  const result = await store.carryOutCollection(plan, session.world.pid, async (progress) => {
    if (progress.kind === 'delete-path') {
      session.faults.reach('during-gc');
      session.progress.step('forgetting dead store paths', progress.done, progress.total);
      await safePoint();
    }
  });
  // The leftovers a dead process's temporary roots named are gone with this collection, and so is its record of them.
  for (const { pid } of tempRoots) if (!processAlive(pid)) store.releaseTempRoots(pid);
  session.afterUnlock(async () => {
    session.faults.reach('after-trash');
    await emptyTrashWithProgress(session);
  });
  return { dryRun: false, deleted: result.deleted, bytes: result.bytesFreed, ...entries };
}

/** Registers LINK (a symlink into the store, like a `result` link) as an indirect GC root. */
export async function addRoot(session: Session, link: string): Promise<string> {
  const absolute = resolve(session.world.cwd, link);
  const target = session.store.resolveArgument(absolute, session.world.cwd);
  if (!(await session.store.isValid(target))) throw refused('GENLEDGER_NOT_VALID', `'${link}' points at ${target}, which is not valid in the store`);
  const autoLink = `${autoRootsDir(session)}/${indirectRootName(absolute)}`;
  await appendRootEvent(session, 'RootAdded', { link: absolute, storePath: target });
  if (session.store.kind === 'nix') await session.store.addIndirectRoot(absolute);
  else replaceLink(autoLink, absolute, Math.floor(session.world.now().getTime() / 1000), session.world.pid);
  return target;
}

export async function removeRoot(session: Session, link: string): Promise<void> {
  const absolute = resolve(session.world.cwd, link);
  const autoLink = `${autoRootsDir(session)}/${indirectRootName(absolute)}`;
  let registered = false;
  try {
    registered = lstatSync(autoLink).isSymbolicLink() && readlinkSync(autoLink) === absolute;
  } catch {
    registered = false;
  }
  if (!registered) throw refused('GENLEDGER_NOT_A_ROOT', `'${absolute}' is not a registered root`);
  if (session.store.kind === 'nix' && !canRemove(autoLink)) {
    throw refused('GENLEDGER_ROOT_NOT_REMOVABLE', `the root '${absolute}' is registered in Nix's ${session.store.autoRootsDir}, which you may not change`, 'remove the link itself: Nix forgets an indirect root once its link is gone');
  }
  await appendRootEvent(session, 'RootRemoved', { link: absolute });
  removeLink(autoLink);
}

function canRemove(autoLink: string): boolean {
  try {
    accessSync(dirname(autoLink), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function appendRootEvent(session: Session, type: string, data: unknown): Promise<void> {
  const head = await session.ledger.head(rootsStream);
  await session.ledger.append(rootsStream, head?.version ?? 0, [envelope(session.world, session.world.now(), { type, data }, 1, session.options.reason)]);
}
