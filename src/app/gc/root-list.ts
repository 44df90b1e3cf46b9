/**
 * `root list` and `list-generations --size`: every GC root with the size of
 * its closure and the bytes only it keeps alive (projection/root-sizes.ts).
 * The roots are the ones `gc --print-roots` prints; the reference graph is
 * the embedded store's registry read in one scan, or on a Nix store Nix's
 * path infos of the roots' closures.
 */
import { rootSizes } from '../../projection/root-sizes.js';
import type { RootSize, SizedPath } from '../../projection/root-sizes.js';
import type { Session } from '../session/session-context.js';
import { gcRoots } from './gc-insight.js';

export async function listRootSizes(session: Session): Promise<RootSize[]> {
  const roots = await gcRoots(session);
  return rootSizes(roots, await referenceGraph(session, roots.map((root) => root.storePath)));
}

/** The store's reference graph, with NAR sizes, holding at least the closures of `from`. */
export async function referenceGraph(session: Session, from: readonly string[]): Promise<ReadonlyMap<string, SizedPath>> {
  const { store } = session;
  if (store.kind === 'embedded') return store.validPaths();
  const graph = new Map<string, SizedPath>();
  const pending = [...from];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (graph.has(path)) continue;
    // A root whose path Nix no longer knows is counted as empty rather than failing the whole list.
    const info = await store.info(path);
    graph.set(path, { references: info?.references ?? [], narSize: info?.narSize ?? 0 });
    for (const reference of info?.references ?? []) if (!graph.has(reference)) pending.push(reference);
  }
  return graph;
}
