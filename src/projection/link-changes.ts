/**
 * The link operations that take a profile from one desired layout to the
 * next, without looking at the disk: what a command plans when the disk is
 * known to hold the layout it starts from (the projection checkpoint is at
 * the head of the log). Its result equals reconciling the new layout
 * against that disk, at the cost of the links that change rather than of
 * every generation the profile has.
 */
import type { FsOp } from './fs-op.js';
import type { DesiredLink, ProfileLayout } from './profile-layout.js';

export function planLinkChanges(before: ProfileLayout, after: ProfileLayout): FsOp[] {
  const previous = new Map<string, DesiredLink>([...before.generationLinks, ...before.autoRoots].map((link) => [link.path, link]));
  const ops: FsOp[] = [];
  const wanted = [...after.generationLinks, ...after.autoRoots];
  for (const link of wanted) {
    if (!sameLink(previous.get(link.path), link)) ops.push({ op: 'link', ...link });
  }
  const kept = new Set(wanted.map((link) => link.path));
  for (const path of previous.keys()) if (!kept.has(path)) ops.push({ op: 'unlink', path });
  if (after.profileLink !== null && !sameLink(before.profileLink ?? undefined, after.profileLink)) ops.push({ op: 'switch', ...after.profileLink });
  return ops;
}

function sameLink(a: DesiredLink | undefined, b: DesiredLink): boolean {
  return a !== undefined && a.target === b.target && a.mtime === b.mtime;
}
