/**
 * What `system status` says beyond the three pointers: the notes of
 * `systemStatus`, plus a failed activation since the last reboot (a reboot
 * starts the boot default afresh, so an older failure no longer describes
 * the running system). Also the one wording of an activation's failure
 * and of what runs, shared by the status, the reports and the errors.
 */
import type { ActivationOutcome } from './system-events.js';
import type { SystemProfileState } from './system-profile.js';
import { systemStatus } from './system-state.js';
import type { SystemState, SystemStatusNote } from './system-state.js';

export function systemProfileStatus(state: SystemProfileState): SystemStatusNote[] {
  const notes = systemStatus(state.machine);
  const last = state.lastActivation;
  if (last === null || last.outcome.status !== 'failed') return notes;
  if (state.bootedSince !== null && last.at <= state.bootedSince) return notes;
  const what = last.generation === null ? last.systemPath : `generation ${last.generation}`;
  const message = `the last activation, switch-to-configuration ${last.action} of ${what} at ${last.at}, ${describeActivationFailure(last.outcome)}`;
  return [...notes, { kind: 'activation-failed', message }];
}

/** "generation 3", "the test activation of /nix/store/…", or "nothing": what runs, for messages. */
export function describeRunning(machine: SystemState): string {
  const running = machine.running;
  if (running === null) return 'nothing';
  return running.kind === 'test' ? `the test activation of ${running.path}` : `generation ${running.generation}`;
}

/** "failed with exit status 3", "was killed by SIGTERM", …; empty for an outcome that did not fail. */
export function describeActivationFailure(outcome: ActivationOutcome): string {
  if (outcome.status !== 'failed') return '';
  if (outcome.timedOut) return `timed out after ${Math.round(outcome.durationMs / 1000)} s and was killed`;
  if (outcome.exitCode !== null) return `failed with exit status ${outcome.exitCode}`;
  if (outcome.signal !== null) return `was killed by ${outcome.signal}`;
  return 'could not be started';
}
