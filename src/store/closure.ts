/**
 * Closures of store paths and the order `nix-store -qR` prints them in:
 * sort the set by base name, then a depth-first post-order over it that
 * visits each path's (sorted) references before the path itself, so
 * dependencies always come first.
 */

export type ReferencesOf = (path: string) => readonly string[];

export function closureOf(roots: Iterable<string>, referencesOf: ReferencesOf): Set<string> {
  const seen = new Set<string>();
  const pending = [...roots];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (seen.has(path)) continue;
    seen.add(path);
    for (const reference of referencesOf(path)) if (!seen.has(reference)) pending.push(reference);
  }
  return seen;
}

export function topoSortPaths(paths: ReadonlySet<string>, referencesOf: ReferencesOf): string[] {
  const byBaseName = (a: string, b: string) => compareBytes(baseName(a), baseName(b));
  const order: string[] = [];
  const visited = new Set<string>();
  const visit = (path: string): void => {
    if (visited.has(path)) return;
    visited.add(path);
    const references = referencesOf(path).filter((r) => r !== path && paths.has(r)).sort(byBaseName);
    for (const reference of references) visit(reference);
    order.push(path);
  };
  for (const path of [...paths].sort(byBaseName)) visit(path);
  return order;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The requisites of `paths` in `nix-store -qR` order, reading each path's info once through `requireInfo`. */
export async function requisitesOf(paths: readonly string[], requireInfo: (path: string) => Promise<{ readonly references: readonly string[] }>): Promise<string[]> {
  const references = new Map<string, readonly string[]>();
  let frontier: readonly string[] = paths;
  while (frontier.length > 0) {
    for (const path of frontier) if (!references.has(path)) references.set(path, (await requireInfo(path)).references);
    frontier = frontier.flatMap((p) => references.get(p) ?? []).filter((r) => !references.has(r));
  }
  const referencesOf = (p: string) => references.get(p) ?? [];
  return topoSortPaths(closureOf(paths, referencesOf), referencesOf);
}
