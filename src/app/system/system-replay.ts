/**
 * Replays the system stream: its state at the head of the log, or as it
 * stood at a seq or time, projected into the live home or into another
 * directory laid out like a home. Activations are never run again; their
 * recorded outcomes are what the fold uses. On a real root only the
 * profile links are re-created (into DIR/nix/var/nix/profiles of `into`
 * when given): run/ and the boot loader are the activation's.
 */
import { noFaults } from '../../fault-injection.js';
import type { SystemOp } from '../../projection/system-plan.js';
import type { LogPoint } from '../profile/profile-queries.js';
import type { Session } from '../session/session-context.js';
import { stateHomeAt } from '../session/state-home.js';
import { applySystem, planSystem } from './system-projector.js';
import { recordedSystemRoot } from './system-root.js';
import type { SystemRoot } from './system-root.js';
import { loadSystemState, systemStream } from './system-stream.js';

export interface SystemReplay {
  readonly profile: typeof systemStream;
  /** The boot default. */
  readonly generation: number | null;
  readonly operations: number;
  readonly ops: readonly SystemOp[];
}

/** null when the log (up to `at`) holds no system events. */
export async function replaySystem(session: Session, options: { at?: LogPoint; into?: string; dryRun: boolean }): Promise<SystemReplay | null> {
  const state = await loadSystemState(session.ledger, options.at);
  if (!state.exists) return null;
  const home = options.into === undefined ? session.home : stateHomeAt(options.into);
  const recorded = await recordedSystemRoot(session);
  const root: SystemRoot = recorded.kind === 'real' && options.into !== undefined ? { kind: 'real', dir: options.into } : recorded;
  const ops = await planSystem({ ...session, home }, state, root);
  if (!options.dryRun) await applySystem({ ...session, faults: noFaults }, ops);
  return { profile: systemStream, generation: state.machine.bootDefault, operations: ops.length, ops };
}
