/**
 * `gc --print-roots`, `--print-live` and `--print-dead`: what the collector
 * sees, as `nix-store --gc` prints it, deleting and recording nothing. On
 * the embedded store the answers come from genledger's own root finder and
 * planner (the ones `gc` acts on); on a Nix store Nix answers (FindRoots,
 * and its collector's returnLive / returnDead actions).
 *
 * Order, as Nix 2.8's opGC prints: roots sorted by (link, store path) in
 * byte order; live and dead paths sorted in byte order.
 */
import { compareUtf8 } from '../../store/nar-tree.js';
import { findRoots } from '../../store/gc-roots.js';
import type { GcRoot } from '../../store/gc-roots.js';
import type { GcPlan } from '../../store/gc-plan.js';
import { findRuntimeRootLinks } from '../../store/runtime-roots.js';
import type { OwnStore } from '../../store/store.js';
import type { TempRoots } from '../../store/temp-roots.js';
import { processAlive } from '../session/process-alive.js';
import type { Session } from '../session/session-context.js';

export type GarbageKind = 'live' | 'dead';

export async function gcRoots(session: Session): Promise<GcRoot[]> {
  const { store } = session;
  const roots = store.kind === 'nix' ? await store.gcRoots() : await ownRoots(session, store, { removeStaleAutoLinks: false, runtime: 'links' });
  return sortRoots(roots);
}

export async function listGarbage(session: Session, kind: GarbageKind, maxFreed?: number): Promise<string[]> {
  const { store } = session;
  if (store.kind === 'nix') return [...(await store.listGarbage(kind, maxFreed))].sort(compareUtf8);
  const { plan } = await planOwnCollection(session, store, { dryRun: true, ...(maxFreed === undefined ? {} : { maxFreed }) });
  return (kind === 'live' ? plan.live : plan.dead.map((dead) => dead.path)).sort(compareUtf8);
}

/**
 * The embedded collector's plan, from the roots on disk, those of running
 * processes and this home's temporary roots, less the `removedRoots` a dry
 * run counts as gone. Only a real collection removes the stale auto links
 * it meets.
 */
export async function planOwnCollection(
  session: Session,
  store: OwnStore,
  options: { readonly dryRun: boolean; readonly maxFreed?: number; readonly deleteUnknown?: boolean; readonly removedRoots?: ReadonlySet<string> },
): Promise<{ plan: GcPlan; tempRoots: TempRoots[] }> {
  const { removedRoots, ...planOptions } = options;
  const valid = await store.validPaths();
  const found = await ownRoots(session, store, { removeStaleAutoLinks: !options.dryRun, runtime: 'paths', valid });
  const roots = removedRoots === undefined ? found : found.filter((root) => !removedRoots.has(root.link));
  const tempRoots = store.tempRoots();
  return { plan: store.planCollection(valid, roots.map((root) => root.storePath), { processAlive, tempRoots, ...planOptions }), tempRoots };
}

async function ownRoots(
  session: Session,
  store: OwnStore,
  options: { readonly removeStaleAutoLinks: boolean; readonly runtime: 'links' | 'paths'; readonly valid?: ReadonlyMap<string, unknown> },
): Promise<GcRoot[]> {
  const { home } = session;
  const valid = options.valid ?? (await store.validPaths());
  const found = findRoots([home.gcroots, home.profiles, home.run], store.location, (path) => valid.has(path), {
    removeStaleAutoLinks: options.removeStaleAutoLinks,
    autoDir: `${home.gcroots}/auto`,
  });
  // Nix reports a runtime root only when it is a valid path; the planner ignores invalid roots anyway.
  const runtime = findRuntimeRootLinks(store.location).filter((root) => options.runtime === 'paths' || valid.has(root.storePath));
  return [...found.roots, ...runtime];
}

function sortRoots(roots: readonly GcRoot[]): GcRoot[] {
  return [...roots].sort((a, b) => compareUtf8(a.link, b.link) || compareUtf8(baseName(a.storePath), baseName(b.storePath)));
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
