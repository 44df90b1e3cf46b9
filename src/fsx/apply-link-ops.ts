/**
 * Carries out the link operations of a plan, in order. (`build` operations
 * need the store and are carried out by the app layer before these.)
 */
import type { FsOp } from '../projection/fs-op.js';
import { removeLink, replaceLink, switchLink } from './atomic-link.js';

export function applyLinkOps(ops: readonly FsOp[], pid: number): void {
  for (const op of ops) {
    if (op.op === 'link') replaceLink(op.path, op.target, op.mtime, pid);
    else if (op.op === 'switch') switchLink(op.path, op.target, op.mtime);
    else if (op.op === 'unlink') removeLink(op.path);
  }
}
