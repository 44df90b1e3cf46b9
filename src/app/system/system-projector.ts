/**
 * Projects the system stream's state onto a home: the plan is computed
 * from the state and the disk (the same value a dry run prints and verify
 * reports), then carried out by `fsx`. A home with no system events gets
 * no system files: nothing there is genledger's to manage. Temporary links
 * a killed switch left are removed last.
 */
import type { SystemProfileState } from '../../domain/system-profile.js';
import type { FaultInjector } from '../../fault-injection.js';
import { noFaults } from '../../fault-injection.js';
import { applyLinkOps } from '../../fsx/apply-link-ops.js';
import { listNames, readManagedFile, removeManagedFile, writeManagedFile } from '../../fsx/managed-file.js';
import { readEntry } from '../../fsx/read-entry.js';
import { systemLayout } from '../../projection/system-layout.js';
import type { SystemPlace } from '../../projection/system-layout.js';
import { planSystemOps } from '../../projection/system-plan.js';
import type { SystemOp } from '../../projection/system-plan.js';
import { locationOfStream } from '../profile/profile-location.js';
import type { StateHome } from '../session/state-home.js';
import { systemStream } from './system-stream.js';
import { systemTemporaryLinks } from '../session/temporary-links.js';

export function systemPlace(home: StateHome): SystemPlace {
  const { link, dir, base } = locationOfStream(home, systemStream);
  return {
    profile: { link, dir, base },
    autoRootsDir: `${home.gcroots}/auto`,
    currentSystemLink: `${home.run}/current-system`,
    bootedSystemLink: `${home.run}/booted-system`,
    bootDir: home.boot,
  };
}

export async function planSystem(session: { readonly home: StateHome }, state: SystemProfileState): Promise<SystemOp[]> {
  if (!state.exists) return [];
  const place = systemPlace(session.home);
  const ops = planSystemOps(systemLayout(state, place), { entry: readEntry, file: readManagedFile, names: listNames });
  return [...ops, ...systemTemporaryLinks(place).map((path): SystemOp => ({ op: 'unlink', path }))];
}

/** `faults`: the crash tests' hook, reached between each link's temporary link and its rename. */
export function applySystemPlan(ops: readonly SystemOp[], pid: number, faults: FaultInjector = noFaults): void {
  for (const op of ops) {
    if (op.op === 'write') writeManagedFile(op.path, op.content, pid);
    else if (op.op === 'remove') removeManagedFile(op.path);
    else applyLinkOps([op], pid, faults);
  }
}
