/**
 * `gc`, `root add` and `root remove`. Roots are found the way Nix finds
 * them, under the home's gcroots/, profiles/ and run/ directories; a
 * collection that deletes anything is recorded as a GarbageCollected event
 * (what was deleted, how many bytes) so the audit trail says who did it.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { refused } from '../errors.js';
import { removeLink, replaceLink } from '../fsx/atomic-link.js';
import { carryOutGcPlan, readGcPlan, readValidPaths } from '../store/collect-garbage.js';
import { findRoots } from '../store/gc-roots.js';
import { indirectRootName } from '../store/indirect-root.js';
import { envelope } from './event-envelope.js';
import type { Session } from './session.js';

export const gcStream = 'gc';
export const rootsStream = 'roots';

export interface GcRun {
  readonly dryRun: boolean;
  readonly deleted: readonly string[];
  readonly bytes: number;
  readonly junk: readonly string[];
}

/**
 * The plan is recorded before it is carried out: a collection killed half
 * way still says who decided to delete what, and the paths it did not get
 * to are dead all the same, so the next collection finishes the job.
 */
export async function runGarbageCollection(session: Session, options: { dryRun: boolean; maxFreed?: number }): Promise<GcRun> {
  const { home, store } = session;
  const valid = await readValidPaths(store);
  const found = findRoots([home.gcroots, home.profiles, home.run], store.location, (path) => valid.has(path), {
    removeStaleAutoLinks: !options.dryRun,
    autoDir: `${home.gcroots}/auto`,
  });
  const plan = readGcPlan(store, valid, found.roots.map((root) => root.storePath), options.maxFreed);
  const deleted = plan.dead.map((dead) => dead.path);
  if (options.dryRun) return { dryRun: true, deleted, bytes: plan.bytes, junk: plan.junk };
  if (deleted.length > 0 || plan.junk.length > 0) {
    const head = await session.ledger.head(gcStream);
    const data = { deleted, bytesFreed: plan.bytes, junkRemoved: plan.junk.length };
    await session.ledger.append(gcStream, head?.version ?? 0, [envelope(session.world, session.world.now(), { type: 'GarbageCollected', data }, 1, session.options.reason)]);
  }
  const result = await carryOutGcPlan(store, plan, (progress) => {
    if (progress.kind !== 'remove-trees') session.faults.reach('during-gc');
    if (progress.kind === 'delete-path') session.progress.step('forgetting dead store paths', progress.done, progress.total);
    if (progress.kind === 'remove-trees') session.progress.step('deleting dead store paths', progress.done, progress.total);
  });
  return { dryRun: false, deleted: result.deleted, bytes: result.bytesFreed, junk: result.junkRemoved };
}

/** Registers LINK (a symlink into the store, like a `result` link) as an indirect GC root. */
export async function addRoot(session: Session, link: string): Promise<string> {
  const absolute = resolve(session.world.cwd, link);
  const target = session.store.resolveArgument(absolute, session.world.cwd);
  if (!(await session.store.isValid(target))) throw refused('GENLEDGER_NOT_VALID', `'${link}' points at ${target}, which is not valid in the store`);
  const autoLink = `${session.home.gcroots}/auto/${indirectRootName(absolute)}`;
  await appendRootEvent(session, 'RootAdded', { link: absolute, storePath: target });
  replaceLink(autoLink, absolute, Math.floor(session.world.now().getTime() / 1000), session.world.pid);
  return target;
}

export async function removeRoot(session: Session, link: string): Promise<void> {
  const absolute = resolve(session.world.cwd, link);
  const autoLink = `${session.home.gcroots}/auto/${indirectRootName(absolute)}`;
  let registered = false;
  try {
    registered = lstatSync(autoLink).isSymbolicLink() && readlinkSync(autoLink) === absolute;
  } catch {
    registered = false;
  }
  if (!registered) throw refused('GENLEDGER_NOT_A_ROOT', `'${absolute}' is not a registered root`);
  await appendRootEvent(session, 'RootRemoved', { link: absolute });
  removeLink(autoLink);
}

async function appendRootEvent(session: Session, type: string, data: unknown): Promise<void> {
  const head = await session.ledger.head(rootsStream);
  await session.ledger.append(rootsStream, head?.version ?? 0, [envelope(session.world, session.world.now(), { type, data }, 1, session.options.reason)]);
}
