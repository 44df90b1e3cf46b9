/**
 * The temporary links a command killed between making a link and renaming
 * it onto its name leaves behind, outside what a profile's own plan looks
 * at: the system profile's (`system-N-link.tmp-…`, `.<n>_system`), its
 * GC roots' in the auto roots (also planned by every profile's plan, so
 * they go even in a home without profiles), and those of
 * `run/current-system` and `run/booted-system`. Each points into
 * the store and is a GC root until removed, so the system plan removes
 * them, and verify names every leftover as a `temporary-link` problem.
 */
import { basename } from 'node:path';
import { listNames } from '../../fsx/list-names.js';
import type { SystemOp } from '../../projection/system-plan.js';
import type { SystemPlace } from '../../projection/system-layout.js';
import { isAnyTempLinkName, isTempLinkName, isTempLinkOf, isTempRootName } from '../../projection/temp-link-names.js';
import { replayAdvice } from '../verify/problem-fix.js';

export function systemTemporaryLinks(place: SystemPlace): string[] {
  const { dir, base } = place.profile;
  const runLinks = place.volatile === null ? [] : [place.volatile.currentSystemLink, place.volatile.bootedSystemLink];
  const found = listNames(dir)
    .filter((name) => isTempLinkName(name, base))
    .map((name) => `${dir}/${name}`);
  found.push(...listNames(place.autoRootsDir).filter(isTempRootName).map((name) => `${place.autoRootsDir}/${name}`));
  for (const link of runLinks) {
    const runDir = link.slice(0, link.lastIndexOf('/'));
    found.push(...listNames(runDir).filter((name) => isTempLinkOf(name, basename(link))).map((name) => `${runDir}/${name}`));
  }
  return found.sort();
}

/**
 * How verify reports a planned operation on a profile (`subject` names it):
 * removing a leftover temporary link is a `temporary-link` problem, any
 * other difference a `projection` problem.
 */
export function projectionProblem(op: SystemOp, subject: string, needs: string): { kind: 'temporary-link' | 'projection'; message: string } {
  if (op.op === 'unlink' && isAnyTempLinkName(basename(op.path))) {
    return { kind: 'temporary-link', message: `${subject} has a temporary link '${op.path}' left by an interrupted command (a GC root until removed); ${replayAdvice}, or the next command removes it` };
  }
  return { kind: 'projection', message: `${subject} differs from the ledger: it needs ${needs}; ${replayAdvice}` };
}

/** Each profile's plan lists the leftover GC roots shared by all of them: each leftover is reported once. */
export function withoutRepeatedTemporaryLinks<P extends { readonly kind: string; readonly path?: string }>(problems: readonly P[]): P[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    if (problem.kind !== 'temporary-link' || problem.path === undefined) return true;
    if (seen.has(problem.path)) return false;
    seen.add(problem.path);
    return true;
  });
}
