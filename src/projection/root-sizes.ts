/**
 * What each GC root costs: the closure size of its target (the NAR sizes of
 * every path it references, directly or not, as `nix path-info -S` sums
 * them) and the bytes only it keeps alive (the NAR sizes of the paths in
 * its closure that no other root's closure holds), which is what a
 * collection would free once that root alone is gone. Two roots on the
 * same store path share everything, so each keeps nothing alone.
 */
import { closureOf } from '../store/closure.js';

export interface SizedPath {
  readonly references: readonly string[];
  readonly narSize: number;
}

export interface RootRef {
  readonly link: string;
  readonly storePath: string;
}

export interface RootSize extends RootRef {
  readonly closureSize: number;
  readonly exclusiveSize: number;
}

/** Sizes of `roots` in their order, each (link, store path) once; a path the graph does not know counts as empty with no references. */
export function rootSizes(found: readonly RootRef[], graph: ReadonlyMap<string, SizedPath>): RootSize[] {
  const roots = [...new Map(found.map((root) => [`${root.link}\0${root.storePath}`, root])).values()];
  const referencesOf = (path: string) => graph.get(path)?.references ?? [];
  const sizeOf = (path: string) => graph.get(path)?.narSize ?? 0;
  const closures = roots.map((root) => closureOf([root.storePath], referencesOf));
  const holders = new Map<string, number>();
  for (const closure of closures) for (const path of closure) holders.set(path, (holders.get(path) ?? 0) + 1);
  return roots.map((root, index) => {
    const closure = closures[index] ?? new Set<string>();
    let closureSize = 0;
    let exclusiveSize = 0;
    for (const path of closure) {
      closureSize += sizeOf(path);
      if (holders.get(path) === 1) exclusiveSize += sizeOf(path);
    }
    return { link: root.link, storePath: root.storePath, closureSize, exclusiveSize };
  });
}
