/**
 * The link plan of a profile on a Nix store. Its generation links and
 * profile link are compared with the disk as on the embedded store; its
 * indirect roots are not: they live in Nix's gcroots/auto, which belongs to
 * whoever runs Nix (a daemon's state directory may be one this host does
 * not know: a `unix://` URI does not say where it is). So a generation link
 * needs a root when Nix's collector does not list it among its roots, and
 * a root whose link is gone is Nix's to remove (its collector does).
 */
import type { FsOp } from '../../projection/fs-op.js';
import { planLinks } from '../../projection/link-plan.js';
import type { ReadEntry } from '../../projection/link-plan.js';
import type { ProfileLayout } from '../../projection/profile-layout.js';
import type { NixStore } from '../../store/store.js';

export async function planNixProfileLinks(store: NixStore, layout: ProfileLayout, read: ReadEntry): Promise<FsOp[]> {
  const ops = planLinks({ ...layout, autoRoots: [], staleAutoRoots: [] }, read);
  if (layout.autoRoots.length === 0) return ops;
  const rooted = await store.rootedLinks();
  return [...ops, ...layout.autoRoots.filter((root) => !rooted.has(root.target)).map((root): FsOp => ({ op: 'link', ...root }))];
}
