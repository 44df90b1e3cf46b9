/**
 * Carries out the link operations of a plan, in order. (`build` operations
 * need the store and are carried out by the app layer before these.)
 */
import type { FsOp } from '../projection/fs-op.js';
import type { FaultInjector } from '../fault-injection.js';
import { noFaults } from '../fault-injection.js';
import { fileSystemError } from '../store/file-system-error.js';
import { removeLink, replaceLink, switchLink } from './atomic-link.js';

export function applyLinkOps(ops: readonly FsOp[], pid: number, faults: FaultInjector = noFaults): void {
  for (const op of ops) {
    try {
      if (op.op === 'link') replaceLink(op.path, op.target, op.mtime, pid, faults);
      else if (op.op === 'switch') switchLink(op.path, op.target, op.mtime, faults);
      else if (op.op === 'unlink') removeLink(op.path);
    } catch (error) {
      throw fileSystemError(error, op.path);
    }
  }
}
