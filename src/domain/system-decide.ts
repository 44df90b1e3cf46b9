/**
 * decideSystem(state, command): what a system command records, decided
 * once against the folded `system` stream. `switch` and `boot` set the
 * profile as `nix-env --set` does (the highest generation is reused when
 * its path is the same; numbers above every one ever used otherwise) and
 * name the activation to run; `test` only names an activation; `rollback`
 * and `switch-generation` are decided into the `switch` they amount to;
 * `reboot` is one event; `delete-generations` follows the profile rules
 * (`nix-env --delete-generations`, or a retention policy) but never
 * deletes the boot default, the booted or the running generation.
 * The activation's outcome is a fact the shell measures, turned into an
 * event by `activationEvent`. Pure: no disk, no clock, no processes.
 */
import { refused } from '../errors.js';
import { checkConfigurationLimit } from './boot-entries.js';
import { generationsToDelete, nextGeneration } from './generation-rules.js';
import { parseDeletionSpecs } from './generation-spec.js';
import type { SystemBuild } from './system-build.js';
import type { ActivationAction, ActivationOutcome, ObservedRoot, SystemEvent, SystemProfileSetHow } from './system-events.js';
import { generationPath, runningSystemPath, systemGenerationSummaries, systemGenerationsInUse } from './system-profile.js';
import type { SystemProfileState } from './system-profile.js';
import { rollbackTransition } from './system-state.js';

/** `build`: what the configuration was built from; recorded as null when not given. */
export type SystemCommand =
  | { readonly kind: 'switch' | 'boot'; readonly systemPath: string; readonly build?: SystemBuild; readonly configurationLimit?: number }
  | { readonly kind: 'rollback'; readonly configurationLimit?: number }
  | { readonly kind: 'switch-generation'; readonly generation: number; readonly configurationLimit?: number }
  | { readonly kind: 'test'; readonly systemPath: string; readonly build?: SystemBuild }
  | { readonly kind: 'reboot' }
  | { readonly kind: 'delete-generations'; readonly spec: readonly string[]; readonly nowSeconds: number };

export interface PlannedActivation {
  readonly action: ActivationAction;
  readonly systemPath: string;
  readonly generation: number | null;
}

export interface SystemDecision {
  /** Appended before the activation runs. */
  readonly events: readonly SystemEvent[];
  readonly activation: PlannedActivation | null;
  /** What the activation's event records as `build`: a test's, which no SystemProfileSet records. */
  readonly activationBuild: SystemBuild | null;
}

export function decideSystem(state: SystemProfileState, command: SystemCommand): SystemDecision {
  switch (command.kind) {
    case 'switch':
    case 'boot': {
      const limit = command.configurationLimit ?? state.configurationLimit;
      checkConfigurationLimit(limit);
      const next = nextGeneration(systemGenerationSummaries(state), command.systemPath, state.highestCreated);
      return setProfile(state, command.kind, 'set', next.number, !next.reused, command.systemPath, limit, command.build ?? null);
    }
    case 'rollback': {
      const limit = command.configurationLimit ?? state.configurationLimit;
      checkConfigurationLimit(limit);
      const { generation } = rollbackTransition(state.machine, systemGenerationSummaries(state));
      return setProfile(state, 'switch', 'rollback', generation, false, existingPath(state, generation), limit, null);
    }
    case 'switch-generation': {
      const limit = command.configurationLimit ?? state.configurationLimit;
      checkConfigurationLimit(limit);
      const systemPath = generationPath(state, command.generation);
      if (systemPath === null) {
        throw refused(
          'GENLEDGER_NO_SUCH_GENERATION',
          `system generation ${command.generation} does not exist`,
          "see 'genledger system list-generations'",
        );
      }
      return setProfile(state, 'switch', 'switch-generation', command.generation, false, systemPath, limit, null);
    }
    case 'delete-generations': {
      const spec = parseDeletionSpecs(command.spec);
      const { bootDefault } = state.machine;
      const generations = generationsToDelete(systemGenerationSummaries(state), bootDefault, spec, command.nowSeconds, 'system', systemGenerationsInUse(state));
      return { events: generations.length === 0 ? [] : [{ type: 'SystemGenerationsDeleted', data: { generations, spec: command.spec } }], activation: null, activationBuild: null };
    }
    case 'test':
      return { events: [], activation: { action: 'test', systemPath: command.systemPath, generation: null }, activationBuild: command.build ?? null };
    case 'reboot': {
      const generation = state.machine.bootDefault;
      const systemPath = generationPath(state, generation);
      if (generation === null || systemPath === null) {
        throw refused('GENLEDGER_NOTHING_TO_BOOT', 'no system generation is set to boot', "make one with 'genledger system switch PATH' or 'genledger system boot PATH'");
      }
      return { events: [{ type: 'Rebooted', data: { generation, systemPath, previouslyRunning: runningSystemPath(state) } }], activation: null, activationBuild: null };
    }
    default:
      return assertNever(command);
  }
}

export function activationEvent(
  planned: PlannedActivation,
  outcome: ActivationOutcome,
  build: SystemBuild | null = null,
  facts: { readonly specialisation?: string; readonly observed?: ObservedRoot } = {},
): SystemEvent {
  return { type: 'SystemActivated', data: { ...planned, activation: outcome, build, ...facts } };
}

function setProfile(
  state: SystemProfileState,
  action: 'switch' | 'boot',
  how: SystemProfileSetHow,
  generation: number,
  created: boolean,
  systemPath: string,
  configurationLimit: number,
  build: SystemBuild | null,
): SystemDecision {
  return {
    events: [{ type: 'SystemProfileSet', data: { action, how, from: state.machine.bootDefault, generation, created, systemPath, configurationLimit, build } }],
    activation: { action, systemPath, generation },
    activationBuild: null,
  };
}

/** rollbackTransition only returns listed generations, so a miss here is a bug, not bad input. */
function existingPath(state: SystemProfileState, generation: number): string {
  const path = generationPath(state, generation);
  if (path === null) throw new Error(`system generation ${generation} has no path`);
  return path;
}

function assertNever(command: never): never {
  throw new Error(`unknown system command ${JSON.stringify(command)}`);
}
