/**
 * The link operations that take a profile from one desired layout to the
 * next, without looking at the disk: what a command plans when the disk is
 * known to hold the layout it starts from (the projection checkpoint is at
 * the head of the log). Its result equals reconciling the new layout
 * against that disk, at the cost of the links that change rather than of
 * every generation the profile has: GC roots, whose names cost a hash each,
 * are worked out only for generation links that change.
 */
import type { FsOp } from './fs-op.js';
import { autoRootOf, autoRootPath } from './profile-layout.js';
import type { DesiredLink, ProfileLinks } from './profile-layout.js';

export function planLinkChanges(before: ProfileLinks, after: ProfileLinks, autoRootsDir: string): FsOp[] {
  const previous = new Map(before.generationLinks.map((link) => [link.path, link]));
  const ops: FsOp[] = [];
  for (const link of after.generationLinks) {
    const old = previous.get(link.path);
    previous.delete(link.path);
    if (!sameLink(old, link)) ops.push({ op: 'link', ...link });
    if (old?.mtime !== link.mtime) ops.push({ op: 'link', ...autoRootOf(link, autoRootsDir) });
  }
  for (const path of previous.keys()) ops.push({ op: 'unlink', path }, { op: 'unlink', path: autoRootPath(path, autoRootsDir) });
  if (after.profileLink !== null && !sameLink(before.profileLink ?? undefined, after.profileLink)) ops.push({ op: 'switch', ...after.profileLink });
  return ops;
}

function sameLink(a: DesiredLink | undefined, b: DesiredLink): boolean {
  return a !== undefined && a.target === b.target && a.mtime === b.mtime;
}
