/**
 * Carries out a plan's link operations. On the embedded store every link
 * is genledger's to write. On a Nix store, Nix's gcroots/auto is Nix's:
 * an indirect root is registered through Nix (the daemon writes it, as for
 * any Nix client), and a stale one that genledger may not remove is left
 * to Nix's collector, which removes indirect roots whose link is gone.
 * Once the links are made, the store paths they name are announced to Nix
 * again as temporary roots (see NixStore.reannounceTempRoots): without
 * that, a collection racing the command could miss both.
 */
import { applyLinkOps } from '../../fsx/apply-link-ops.js';
import { removeLink } from '../../fsx/atomic-link.js';
import type { FsOp } from '../../projection/fs-op.js';
import type { Session } from './session-context.js';

export async function applyLinks(session: Pick<Session, 'store' | 'world' | 'faults'>, ops: readonly FsOp[]): Promise<void> {
  const { store, world, faults } = session;
  if (store.kind === 'embedded') return applyLinkOps(ops, world.pid, faults);
  const autoRoots = `${store.autoRootsDir}/`;
  const linked: string[] = [];
  for (const op of ops) {
    if (op.op === 'link' && op.path.startsWith(autoRoots)) await store.addIndirectRoot(op.target);
    else if (op.op === 'unlink' && op.path.startsWith(autoRoots)) removeStaleRoot(op.path);
    else applyLinkOps([op], world.pid, faults);
    if (op.op === 'link' && store.storeDir.isStorePath(op.target)) linked.push(op.target);
  }
  await store.reannounceTempRoots(linked);
}

function removeStaleRoot(path: string): void {
  try {
    removeLink(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw error;
  }
}
