/**
 * A PackageView over trees held in memory: absolute paths (typically store
 * paths) mapped to NarNodes, for dry runs, for packages known only by their
 * NAR listing, and for tests. Symlinks resolve as the kernel resolves them:
 * absolute targets from the root of the view, relative ones from the link's
 * directory, `..` from the resolved directory, at most 40 links per lookup
 * (ELOOP), so buildenv sees what it would see on disk. The trees are
 * immutable, so parent directories are resolved once and remembered: buildenv
 * asks about every entry of a directory in turn.
 */

import type { NarDirectory, NarNode } from '../store/nar-node.js';
import type { PackageView, PackageViewKind } from './package-view.js';
import { stringSet } from './string-set.js';

const MAX_SYMLINK_HOPS = 40;

/** Where a lookup ended: the node, and the resolved directory it was reached from (null for '/'). */
interface Location {
  readonly node: NarNode;
  readonly parent: Location | null;
  readonly name: string;
}

export function memoryPackageView(roots: Readonly<Record<string, NarNode>>): PackageView {
  const rootLocation: Location = { node: mountAll(roots), parent: null, name: '' };
  const parentCache = new Map<string, Location | null>();

  const resolve = (path: string): Location | null => {
    const slash = path.lastIndexOf('/');
    const name = path.slice(slash + 1);
    if (slash <= 0 || name === '' || name === '.' || name === '..') {
      return walk(rootLocation, components(path).reverse());
    }
    const parentPath = path.slice(0, slash);
    let parent = parentCache.get(parentPath);
    if (parent === undefined) {
      parent = resolve(parentPath);
      parentCache.set(parentPath, parent);
    }
    return parent === null ? null : walk(parent, [name]);
  };

  /** Follows the names on the `pending` stack (last = next), through symlinks, as stat(2) does. */
  const walk = (from: Location, pending: string[]): Location | null => {
    let current = from;
    let hops = 0;
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (current.node.type !== 'directory') return null;
      if (name === '..') {
        current = current.parent ?? current;
        continue;
      }
      const child = current.node.entries.get(name);
      if (child === undefined) return null;
      if (child.type === 'symlink') {
        if (++hops > MAX_SYMLINK_HOPS) return null;
        if (child.target.startsWith('/')) current = rootLocation;
        pending.push(...components(child.target).reverse());
      } else {
        current = { node: child, parent: current, name };
      }
    }
    return current;
  };

  return {
    kind(path: string): PackageViewKind {
      const location = resolve(path);
      if (location === null) return 'missing';
      return location.node.type === 'directory' ? 'directory' : 'file';
    },
    list(path: string): readonly string[] {
      const node = resolve(path)?.node;
      if (node?.type !== 'directory') throw new Error(`memory package view: '${path}' is not a directory`);
      return stringSet(node.entries.keys());
    },
    realPath(path: string): string {
      let location = resolve(path);
      if (location === null) throw new Error(`memory package view: '${path}' does not exist`);
      const names: string[] = [];
      while (location.parent !== null) {
        names.push(location.name);
        location = location.parent;
      }
      return `/${names.reverse().join('/')}`;
    },
    readText(path: string): string | null {
      const node = resolve(path)?.node;
      return node?.type === 'regular' ? new TextDecoder().decode(node.contents) : null;
    },
  };
}

interface MountDirectory extends NarDirectory {
  readonly entries: Map<string, NarNode>;
}

/** Builds the directories leading to each root, so that lookups start from '/'. */
function mountAll(roots: Readonly<Record<string, NarNode>>): NarDirectory {
  const root: MountDirectory = { type: 'directory', entries: new Map() };
  const mounts = new Map<string, MountDirectory>();
  for (const [path, node] of Object.entries(roots)) {
    const names = components(path);
    const last = names.pop();
    let dir = root;
    let prefix = '';
    for (const name of names) {
      prefix += `/${name}`;
      let next = mounts.get(prefix);
      if (next === undefined) {
        if (dir.entries.has(name)) throw overlapping(path);
        next = { type: 'directory', entries: new Map() };
        mounts.set(prefix, next);
        dir.entries.set(name, next);
      }
      dir = next;
    }
    if (last === undefined) throw new Error(`memory package view: cannot mount a root at '${path}'`);
    if (dir.entries.has(last)) throw overlapping(path);
    dir.entries.set(last, node);
  }
  return root;
}

function overlapping(path: string): Error {
  return new Error(`memory package view: root '${path}' overlaps another root`);
}

function components(path: string): string[] {
  return path.split('/').filter((name) => name !== '' && name !== '.');
}
