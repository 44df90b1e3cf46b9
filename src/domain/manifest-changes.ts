/**
 * What changed, package by package, from one manifest to the next: the
 * elements that appeared, went, got other store paths or another priority,
 * matched by element name. It is how generations that genledger did not
 * decide (imported or adopted from disk) still say what they installed.
 */
import type { PackageChange } from './profile-events.js';
import type { ProfileManifest } from './profile-manifest.js';

export function manifestChanges(before: ProfileManifest, after: ProfileManifest): PackageChange[] {
  const previous = new Map(before.elements.map((element) => [element.name, element]));
  const remaining = new Set(after.elements.map((element) => element.name));
  const changes: PackageChange[] = [];
  for (const element of after.elements) {
    const was = previous.get(element.name);
    if (was === undefined) changes.push({ name: element.name, change: 'installed', storePaths: element.storePaths });
    else if (!sameStrings(was.storePaths, element.storePaths)) changes.push({ name: element.name, change: 'upgraded', storePaths: element.storePaths });
    else if (was.priority !== element.priority) changes.push({ name: element.name, change: 'priority', storePaths: element.storePaths });
  }
  for (const element of before.elements) {
    if (!remaining.has(element.name)) changes.push({ name: element.name, change: 'removed', storePaths: element.storePaths });
  }
  return changes;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
