/**
 * What changed between two closures, package by package, the way nvd shows
 * it: store paths grouped by their DrvName name, a name only on one side is
 * added or removed, a name whose versions differ is upgraded or downgraded
 * (by Nix's compareVersions of the highest version on each side) or, when
 * the highest versions are equal, changed. A change is direct when the name
 * belongs to an element's store path on either side, otherwise transitive.
 */

import { parseDrvName, storePathName } from './drv-name.js';
import { stringSet } from './string-set.js';
import { compareVersions } from './version-compare.js';

export interface ClosurePath {
  readonly path: string;
  /** Null for a path the store does not hold yet (an element a dry run would add). */
  readonly narSize: number | null;
}

export interface ClosureSide {
  /** Every path of the generation's closure, its own profile path included. */
  readonly paths: readonly ClosurePath[];
  /** The store paths of the generation's elements. */
  readonly direct: readonly string[];
  /** The generation's own user environment: counted in the size, not a package. */
  readonly profilePath?: string;
}

export interface PackageChange {
  readonly name: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly direct: boolean;
}

export interface ClosureDiff {
  readonly added: readonly PackageChange[];
  readonly removed: readonly PackageChange[];
  readonly upgraded: readonly PackageChange[];
  readonly downgraded: readonly PackageChange[];
  readonly changed: readonly PackageChange[];
  /** NAR bytes; `exact` is false when some path's size is unknown and so not counted. */
  readonly size: { readonly from: number; readonly to: number; readonly delta: number; readonly exact: boolean };
}

export function diffClosures(from: ClosureSide, to: ClosureSide): ClosureDiff {
  const before = versionsByName(from);
  const after = versionsByName(to);
  const directNames = new Set([...from.direct, ...to.direct].map(packageName));
  const result = { added: [] as PackageChange[], removed: [] as PackageChange[], upgraded: [] as PackageChange[], downgraded: [] as PackageChange[], changed: [] as PackageChange[] };
  for (const name of stringSet([...before.keys(), ...after.keys()])) {
    const old = stringSet(before.get(name) ?? []);
    const now = stringSet(after.get(name) ?? []);
    const change = { name, from: old, to: now, direct: directNames.has(name) };
    if (old.length === 0) result.added.push(change);
    else if (now.length === 0) result.removed.push(change);
    else if (old.join('\0') !== now.join('\0')) {
      const order = compareVersions(highest(now), highest(old));
      (order > 0 ? result.upgraded : order < 0 ? result.downgraded : result.changed).push(change);
    }
  }
  const fromSize = totalSize(from);
  const toSize = totalSize(to);
  const exact = [...from.paths, ...to.paths].every(({ narSize }) => narSize !== null);
  return { ...result, size: { from: fromSize, to: toSize, delta: toSize - fromSize, exact } };
}

/** How many package changes a diff holds. */
export function packageChangeCount(diff: ClosureDiff): number {
  return diff.added.length + diff.removed.length + diff.upgraded.length + diff.downgraded.length + diff.changed.length;
}

function versionsByName(side: ClosureSide): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const { path } of side.paths) {
    if (path === side.profilePath) continue;
    const { name, version } = parseDrvName(storePathName(path));
    byName.set(name, [...(byName.get(name) ?? []), version]);
  }
  return byName;
}

function packageName(storePath: string): string {
  return parseDrvName(storePathName(storePath)).name;
}

function highest(versions: readonly string[]): string {
  return versions.reduce((best, version) => (compareVersions(version, best) > 0 ? version : best));
}

function totalSize(side: ClosureSide): number {
  return side.paths.reduce((sum, { narSize }) => sum + (narSize ?? 0), 0);
}

