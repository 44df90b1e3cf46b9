/**
 * What changed between two manifests, in two shapes. `historyDiffLines` is
 * what `nix profile history` 2.8 prints under each version header: elements
 * paired by description (`originalUrl#attrPath`, or their package names),
 * with versions as sets (`ε` for an empty version, `∅` for none).
 * `diffManifests` is the structured diff behind `genledger profile diff`,
 * keyed by element name, each list in byte order of names.
 */

import { compareUtf8 } from '../store/nar-tree.js';
import { parseDrvName, sortedPackageNames, storePathName } from './drv-name.js';
import type { ManifestElement } from './manifest-json.js';
import { stringSet } from './string-set.js';

export interface ManifestDiff {
  readonly added: readonly ManifestElement[];
  readonly removed: readonly ManifestElement[];
  readonly changed: ReadonlyArray<{ readonly name: string; readonly from: ManifestElement; readonly to: ManifestElement }>;
}

interface Described {
  readonly description: string;
  readonly storePaths: readonly string[];
  readonly versions: string;
}

const INDENT = '  ';

export function historyDiffLines(
  previous: readonly ManifestElement[],
  current: readonly ManifestElement[],
): string[] {
  const before = describeAll(previous);
  const after = describeAll(current);
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const old = before[i];
    const now = after[j];
    const order = old === undefined ? 1 : now === undefined ? -1 : compareUtf8(old.description, now.description);
    if (now !== undefined && order > 0) {
      lines.push(`${INDENT}${now.description}: ∅ -> ${now.versions}`);
      j++;
    } else if (old !== undefined && order < 0) {
      lines.push(`${INDENT}${old.description}: ${old.versions} -> ∅`);
      i++;
    } else if (old !== undefined && now !== undefined) {
      if (old.versions !== now.versions) lines.push(`${INDENT}${old.description}: ${old.versions} -> ${now.versions}`);
      i++;
      j++;
    }
  }
  return lines.length === 0 ? [`${INDENT}No changes.`] : lines;
}

export function diffManifests(from: readonly ManifestElement[], to: readonly ManifestElement[]): ManifestDiff {
  const before = new Map(from.map((element) => [element.name, element]));
  const after = new Map(to.map((element) => [element.name, element]));
  const byName = (a: ManifestElement, b: ManifestElement): number => compareUtf8(a.name, b.name);
  return {
    added: to.filter((element) => !before.has(element.name)).sort(byName),
    removed: from.filter((element) => !after.has(element.name)).sort(byName),
    changed: to
      .flatMap((element) => {
        const old = before.get(element.name);
        return old === undefined || sameElement(old, element) ? [] : [{ name: element.name, from: old, to: element }];
      })
      .sort((a, b) => compareUtf8(a.name, b.name)),
  };
}

/** Nix 2.8 sorts elements by (description, store path set) before pairing them. */
function describeAll(elements: readonly ManifestElement[]): Described[] {
  return elements
    .map((element) => {
      const storePaths = stringSet(element.storePaths);
      return { description: describe(element), storePaths, versions: showVersions(storePaths) };
    })
    .sort((a, b) => compareUtf8(a.description, b.description) || compareLists(a.storePaths, b.storePaths));
}

function describe(element: ManifestElement): string {
  if (element.source !== undefined) return `${element.source.originalUrl}#${element.source.attrPath}`;
  return sortedPackageNames(element.storePaths).join(', ');
}

function showVersions(storePaths: readonly string[]): string {
  if (storePaths.length === 0) return '∅';
  const versions = storePaths.map((path) => parseDrvName(storePathName(path)).version || 'ε');
  return stringSet(versions).join(', ');
}

function sameElement(a: ManifestElement, b: ManifestElement): boolean {
  return (
    a.active === b.active &&
    a.priority === b.priority &&
    compareLists(stringSet(a.storePaths), stringSet(b.storePaths)) === 0 &&
    a.source?.originalUrl === b.source?.originalUrl &&
    a.source?.url === b.source?.url &&
    a.source?.attrPath === b.source?.attrPath &&
    compareLists(a.source?.outputs ?? [], b.source?.outputs ?? []) === 0
  );
}

function compareLists(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareUtf8(a[i] ?? '', b[i] ?? '');
    if (order !== 0) return order;
  }
  return a.length - b.length;
}
