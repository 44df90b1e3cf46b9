/**
 * Reconciliation as a pure function: compare the desired profile layout
 * with what is on disk and return only the operations that close the gap.
 * Running the plan twice changes nothing the second time; running it after
 * a crash finishes the job. Links the ledger does not know are left alone
 * (they are drift, for `verify` and `adopt`), never deleted.
 */
import type { FsOp } from './fs-op.js';
import type { DesiredLink, ProfileLayout } from './profile-layout.js';

export type ActualEntry = { readonly kind: 'symlink'; readonly target: string; readonly mtime: number } | { readonly kind: 'other' } | { readonly kind: 'missing' };

export type ReadEntry = (path: string) => ActualEntry;

export function planLinks(layout: ProfileLayout, read: ReadEntry): FsOp[] {
  const ops: FsOp[] = [];
  const differs = (link: DesiredLink) => {
    const actual = read(link.path);
    return actual.kind !== 'symlink' || actual.target !== link.target || actual.mtime !== link.mtime;
  };
  for (const link of [...layout.generationLinks, ...layout.autoRoots]) {
    if (differs(link)) ops.push({ op: 'link', ...link });
  }
  for (const path of [...layout.deletedLinks, ...layout.staleAutoRoots]) {
    if (read(path).kind !== 'missing') ops.push({ op: 'unlink', path });
  }
  if (layout.profileLink !== null && differs(layout.profileLink)) ops.push({ op: 'switch', ...layout.profileLink });
  return ops;
}
