/**
 * The file-system-backed PackageView over a store. buildenv works in
 * logical paths (they become link targets); reads go to the physical
 * location, and symlinks are resolved in the logical namespace, so a
 * chroot store behaves exactly like the real one. When the two namespaces
 * coincide (the embedded default, or a real /nix/store) the kernel resolves
 * paths directly, which is what keeps 40,000-entry profiles fast. Kinds are
 * memoised for the life of one view: store paths are immutable.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import type { PackageView, PackageViewKind } from '../projection/package-view.js';
import type { StoreLocation } from './store-location.js';

const maxSymlinkHops = 40;

export function storePackageView(location: StoreLocation): PackageView {
  return location.logicalDir === location.physicalDir ? directView() : chrootView(location);
}

function directView(): PackageView {
  return {
    kind(path) {
      try {
        return statSync(path).isDirectory() ? 'directory' : 'file';
      } catch {
        return 'missing';
      }
    },
    list: (path) => readdirSync(path),
    realPath: (path) => realpathSync(path),
    readText: (path) => readOrNull(() => readFileSync(path, 'utf8')),
  };
}

function chrootView(location: StoreLocation): PackageView {
  const kinds = new Map<string, PackageViewKind>();
  const physical = (logical: string): string =>
    logical === location.logicalDir || logical.startsWith(`${location.logicalDir}/`) ? location.physicalDir + logical.slice(location.logicalDir.length) : logical;

  const realPath = (path: string): string => {
    const parts = path.split('/').filter((part) => part !== '');
    let resolved = '';
    let hops = 0;
    while (parts.length > 0) {
      const part = parts.shift() as string;
      if (part === '.') continue;
      if (part === '..') {
        resolved = posix.dirname(resolved || '/');
        if (resolved === '/') resolved = '';
        continue;
      }
      const candidate = `${resolved}/${part}`;
      let target: string | null = null;
      try {
        if (lstatSync(physical(candidate)).isSymbolicLink()) target = readlinkSync(physical(candidate));
      } catch {
        target = null;
      }
      if (target === null) {
        resolved = candidate;
        continue;
      }
      if (++hops > maxSymlinkHops) return candidate;
      parts.unshift(...target.split('/').filter((p) => p !== ''));
      if (target.startsWith('/')) resolved = '';
    }
    return resolved || '/';
  };

  return {
    kind(path) {
      let kind = kinds.get(path);
      if (kind === undefined) {
        try {
          kind = statSync(physical(realPath(path))).isDirectory() ? 'directory' : 'file';
        } catch {
          kind = 'missing';
        }
        kinds.set(path, kind);
      }
      return kind;
    },
    list(path) {
      return readdirSync(physical(realPath(path)));
    },
    realPath,
    readText: (path) => readOrNull(() => readFileSync(physical(realPath(path)), 'utf8')),
  };
}

function readOrNull(read: () => string): string | null {
  try {
    return read();
  } catch {
    return null;
  }
}
