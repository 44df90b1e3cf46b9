/**
 * Closure diffs as text: the full nvd-style listing `profile diff` prints,
 * and the short summary a mutating command prints after it (direct changes
 * with their versions, a count of the transitive ones, the size change).
 */
import type { ClosureDiff, PackageChange } from '../../projection/closure-diff.js';
import { packageChangeCount } from '../../projection/closure-diff.js';
import { byteDelta, byteSize } from './byte-size.js';

const kinds = ['upgraded', 'downgraded', 'changed', 'added', 'removed'] as const;

export function closureDiffLines(diff: ClosureDiff): string[] {
  const lines: string[] = [];
  for (const kind of kinds) {
    for (const change of diff[kind]) lines.push(`${kind.padEnd(10)} ${change.direct ? 'direct    ' : 'transitive'} ${change.name} ${versionsText(kind, change)}`);
  }
  if (lines.length === 0) lines.push('no package changes');
  lines.push(`closure size: ${sizeLine(diff)}`);
  return lines;
}

/** Summary verbs for what a command did (`done`) or would do (`planned`, under --dry-run) to the profile's own packages. */
const verbs = {
  done: { upgraded: 'upgraded', downgraded: 'downgraded', changed: 'changed', added: 'installed', removed: 'removed' },
  planned: { upgraded: 'would upgrade', downgraded: 'would downgrade', changed: 'would change', added: 'would install', removed: 'would remove' },
} as const;

export function changeSummaryLines(diff: ClosureDiff, tense: keyof typeof verbs, indent: string): string[] {
  const lines: string[] = [];
  let transitive = 0;
  for (const kind of kinds) {
    for (const change of diff[kind]) {
      if (change.direct) lines.push(`${indent}${verbs[tense][kind]} ${change.name} ${versionsText(kind, change)}`);
      else transitive++;
    }
  }
  const dependencies = `${transitive} dependenc${transitive === 1 ? 'y' : 'ies'}`;
  if (transitive > 0) lines.push(tense === 'done' ? `${indent}${dependencies} changed` : `${indent}would change ${dependencies}`);
  if (packageChangeCount(diff) > 0 || diff.size.delta !== 0) lines.push(`${indent}${tense === 'done' ? '' : 'would change '}closure size ${sizeLine(diff)}`);
  return lines;
}

function versionsText(kind: (typeof kinds)[number], change: PackageChange): string {
  if (kind === 'added') return versions(change.to);
  if (kind === 'removed') return versions(change.from);
  return `${versions(change.from)} -> ${versions(change.to)}`;
}

/** As `nix profile history` shows them: ε for an empty version. */
function versions(list: readonly string[]): string {
  return list.map((version) => version || 'ε').join(', ');
}

/** A size with a path the store does not hold yet would mislead, so then there is none. */
function sizeLine({ size }: ClosureDiff): string {
  if (!size.exact) return 'not known (some paths are not in the store yet)';
  return `${byteSize(size.from)} -> ${byteSize(size.to)} (${byteDelta(size.delta)})`;
}
