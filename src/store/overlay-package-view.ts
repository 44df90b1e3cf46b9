/**
 * A PackageView that shows some store paths before they are in the store:
 * each is read from the source directory it will be copied from. This is
 * how `--dry-run` computes the profile a local directory would produce
 * without writing it to the store.
 */
import type { PackageView } from '../projection/package-view.js';

export function overlayPackageView(base: PackageView, pending: ReadonlyMap<string, string>): PackageView {
  if (pending.size === 0) return base;
  const toSource = (path: string): string => {
    for (const [storePath, source] of pending) {
      if (path === storePath || path.startsWith(`${storePath}/`)) return source + path.slice(storePath.length);
    }
    return path;
  };
  const toStore = (path: string): string => {
    for (const [storePath, source] of pending) {
      if (path === source || path.startsWith(`${source}/`)) return storePath + path.slice(source.length);
    }
    return path;
  };
  return {
    kind: (path) => base.kind(toSource(path)),
    list: (path) => base.list(toSource(path)),
    realPath: (path) => toStore(base.realPath(toSource(path))),
    readText: (path) => base.readText(toSource(path)),
  };
}
