/**
 * The system profile as nixos-rebuild leaves it: three pointers that can
 * disagree. The boot default is the system profile's current generation,
 * what the boot loader starts (`switch` and `boot` move it); running is
 * `/run/current-system` (`switch` and `test` move it); booted is
 * `/run/booted-system`, set only by a reboot. A `test` activation runs a
 * configuration that is no generation, so the next reboot loses it.
 *
 * Transitions are values, so an event can carry one and replay applies it
 * without deciding anything again; a rollback is decided once, into the
 * `switch` it amounts to.
 */
import { refused } from '../errors.js';
import { EMPTY_GENERATION, rollbackTarget } from './generation-rules.js';
import type { GenerationSummary } from './generation-rules.js';

export type Activation =
  | { readonly kind: 'generation'; readonly generation: number }
  | { readonly kind: 'test'; readonly path: string };

export interface SystemState {
  readonly bootDefault: number | null;
  readonly running: Activation | null;
  /** Only the boot default can be booted, so this is always a generation. */
  readonly booted: number | null;
}

export type SystemTransition =
  | { readonly kind: 'switch'; readonly generation: number }
  | { readonly kind: 'boot'; readonly generation: number }
  | { readonly kind: 'test'; readonly path: string }
  | { readonly kind: 'reboot' }
  /** An observed boot: what booted is what runs; null when it is no generation of this profile. */
  | { readonly kind: 'booted'; readonly generation: number | null };

export type SystemStatusKind =
  | 'nothing-installed'
  | 'test-activation'
  | 'reboot-pending'
  | 'no-boot-default'
  | 'switched-since-boot'
  | 'activation-failed'
  /** A real root booted since the last `Booted` recorded (seen by a read, which records nothing). */
  | 'boot-not-recorded';

export interface SystemStatusNote {
  readonly kind: SystemStatusKind;
  readonly message: string;
}

export const initialSystemState: SystemState = { bootDefault: null, running: null, booted: null };

export function applySystemTransition(state: SystemState, transition: SystemTransition): SystemState {
  switch (transition.kind) {
    case 'switch':
      return {
        ...state,
        bootDefault: transition.generation,
        running: runningGeneration(transition.generation),
      };
    case 'boot':
      return { ...state, bootDefault: transition.generation };
    case 'test':
      return { ...state, running: { kind: 'test', path: transition.path } };
    case 'reboot':
      return {
        bootDefault: state.bootDefault,
        running: state.bootDefault === null ? null : runningGeneration(state.bootDefault),
        booted: state.bootDefault,
      };
    case 'booted':
      return { bootDefault: state.bootDefault, running: transition.generation === null ? null : runningGeneration(transition.generation), booted: transition.generation };
  }
}

/**
 * `switch --rollback`: the profile rolls back as `nix-env --rollback` does,
 * and that generation boots and runs. Unlike a user profile, a system has no
 * empty generation 0 to fall back to: nothing could boot it.
 */
export function rollbackTransition(state: SystemState, generations: readonly GenerationSummary[]): Extract<SystemTransition, { kind: 'switch' }> {
  const generation = rollbackTarget(generations, state.bootDefault);
  if (generation === EMPTY_GENERATION) {
    throw refused(
      'GENLEDGER_NO_OLDER_GENERATION',
      `no profile version older than the current (${state.bootDefault ?? 0}) exists`,
      "a system cannot roll back to the empty generation 0; see 'genledger system list-generations'",
    );
  }
  return { kind: 'switch', generation };
}

/** Where booted, running and the boot default differ, and why; empty when all three agree. */
export function systemStatus(state: SystemState): SystemStatusNote[] {
  const { bootDefault, running, booted } = state;
  if (bootDefault === null && running === null) {
    return [note('nothing-installed', "no system generation yet: 'genledger system switch PATH' or 'boot PATH' makes one")];
  }
  if (running?.kind === 'test') {
    const after = bootDefault === null ? 'nothing is set to boot' : `generation ${bootDefault} boots`;
    const message = `running a test activation of ${running.path} (lost at reboot, after which ${after})`;
    return [note('test-activation', message)];
  }
  const runningNumber = running?.generation ?? null;
  const notes: SystemStatusNote[] = [];
  if (bootDefault === null) {
    notes.push(note('no-boot-default', `generation ${runningNumber} is running but no generation is set to boot`));
  } else if (bootDefault !== runningNumber) {
    const now = runningNumber === null ? 'nothing is running yet' : `generation ${runningNumber} is running`;
    notes.push(note('reboot-pending', `boot default is generation ${bootDefault} but ${now}: reboot to use it`));
  }
  if (runningNumber !== null && booted !== null && booted !== runningNumber) {
    const message = `generation ${runningNumber} is running but generation ${booted} was booted: switched without a reboot`;
    notes.push(note('switched-since-boot', message));
  }
  return notes;
}

function runningGeneration(generation: number): Activation {
  return { kind: 'generation', generation };
}

function note(kind: SystemStatusKind, message: string): SystemStatusNote {
  return { kind, message };
}
