/**
 * The file-system-backed PackageView over a store. buildenv works in
 * logical paths (they become link targets); reads go to the physical
 * location, and symlinks are resolved in the logical namespace, so a
 * chroot store (logical /nix/store, physical elsewhere) behaves exactly
 * like the real one.
 *
 * It is built for 40,000-entry profiles: listing a directory records the
 * type of every entry (one getdents for the lot), so asking the kind of a
 * plain file or directory costs no system call at all; only symlinks are
 * resolved, and the resolution of every directory is remembered. Store
 * paths are immutable, so nothing can go stale within one view.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { posix } from 'node:path';
import type { PackageView, PackageViewKind } from '../projection/package-view.js';
import type { StoreLocation } from './store-location.js';

const maxSymlinkHops = 40;

type EntryType = 'directory' | 'file' | 'symlink' | 'missing';

export function storePackageView(location: StoreLocation): PackageView {
  const physical = (logical: string): string =>
    logical === location.logicalDir || logical.startsWith(`${location.logicalDir}/`) ? location.physicalDir + logical.slice(location.logicalDir.length) : logical;
  const types = new Map<string, EntryType>();
  const resolvedDirectories = new Map<string, string>();

  /** The type of the entry at `path`, whose parent directory must already be resolved. */
  const typeAt = (path: string): EntryType => {
    let type = types.get(path);
    if (type === undefined) {
      try {
        const stat = lstatSync(physical(path));
        type = stat.isSymbolicLink() ? 'symlink' : stat.isDirectory() ? 'directory' : 'file';
      } catch {
        type = 'missing';
      }
      types.set(path, type);
    }
    return type;
  };

  /** The real path of `path`, every component resolved in the logical namespace. */
  const realPath = (path: string, hops = 0): string => {
    const normal = posix.normalize(path);
    if (normal === '/') return '/';
    const parent = realDirectory(posix.dirname(normal), hops);
    const candidate = `${parent === '/' ? '' : parent}/${posix.basename(normal)}`;
    if (typeAt(candidate) !== 'symlink' || hops >= maxSymlinkHops) return candidate;
    const target = readlinkSync(physical(candidate));
    return realPath(posix.isAbsolute(target) ? target : `${parent}/${target}`, hops + 1);
  };

  const realDirectory = (path: string, hops: number): string => {
    let resolved = resolvedDirectories.get(path);
    if (resolved === undefined) {
      resolved = realPath(path, hops);
      resolvedDirectories.set(path, resolved);
    }
    return resolved;
  };

  const kindOf = (path: string): PackageViewKind => {
    const known = types.get(path);
    if (known !== undefined && known !== 'symlink') return known;
    const target = typeAt(realPath(path));
    return target === 'symlink' ? 'missing' : target;
  };

  return {
    kind: kindOf,
    list(path) {
      const real = realPath(path);
      const entries = readdirSync(physical(real), { withFileTypes: true });
      for (const entry of entries) {
        const type = entry.isSymbolicLink() ? 'symlink' : entry.isDirectory() ? 'directory' : 'file';
        types.set(`${real}/${entry.name}`, type);
        // The same entry reached through a linked directory: its kind is known too.
        if (path !== real) types.set(`${path}/${entry.name}`, type);
      }
      return entries.map((entry) => entry.name);
    },
    realPath: (path) => realPath(path),
    readText(path) {
      try {
        return readFileSync(physical(realPath(path)), 'utf8');
      } catch {
        return null;
      }
    },
  };
}
