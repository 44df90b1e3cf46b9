/**
 * What removing a SET of GC roots together frees: the paths in the closures
 * of the removed roots that no remaining root's closure holds, with their
 * NAR sizes. For one root this is `root-sizes.ts`'s exclusive size; for
 * several, a path two removed roots share (and nothing else keeps) is freed
 * too, which summing each root's exclusive size would miss. A root is
 * removed by its link, so another link on the same store path still keeps it.
 */
import { closureOf } from '../store/closure.js';
import type { RootRef, SizedPath } from './root-sizes.js';

export interface FreedPath {
  readonly path: string;
  readonly narSize: number;
}

/** The freed paths sorted by path; a path the graph does not know counts as empty with no references. */
export function freedByRemovingRoots(roots: readonly RootRef[], removedLinks: ReadonlySet<string>, graph: ReadonlyMap<string, SizedPath>): FreedPath[] {
  const referencesOf = (path: string) => graph.get(path)?.references ?? [];
  const removed = roots.filter((root) => removedLinks.has(root.link)).map((root) => root.storePath);
  const kept = closureOf(roots.filter((root) => !removedLinks.has(root.link)).map((root) => root.storePath), referencesOf);
  return [...closureOf(removed, referencesOf)]
    .filter((path) => !kept.has(path))
    .sort()
    .map((path) => ({ path, narSize: graph.get(path)?.narSize ?? 0 }));
}
