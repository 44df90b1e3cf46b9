/**
 * The `system` stream folded: its live generations and the numbers of
 * those `system delete-generations` deleted, the three pointers of `SystemState`, when each
 * last moved (the mtimes of the profile link, `run/current-system` and
 * `run/booted-system`), the boot menu's configuration limit and the last
 * activation. evolve is total over the system events; anything else in the
 * stream is an integrity failure, never silently skipped.
 *
 * A failed activation moves nothing it would have moved on success: the
 * running system stays what last activated; the boot default was already
 * moved by the `SystemProfileSet` before it, as nixos-rebuild leaves it.
 */
import { integrityError } from '../errors.js';
import { DEFAULT_CONFIGURATION_LIMIT } from './boot-entries.js';
import type { GenerationSummary } from './generation-rules.js';
import type { ActivationAction, ActivationOutcome, SystemEvent, SystemEventMap } from './system-events.js';
import { applySystemTransition, initialSystemState } from './system-state.js';
import type { SystemState } from './system-state.js';

export interface SystemGeneration {
  readonly number: number;
  /** ISO time of the event that created it: the generation link's mtime. */
  readonly createdAt: string;
  readonly systemPath: string;
}

export interface LastActivation {
  readonly action: ActivationAction;
  readonly systemPath: string;
  readonly generation: number | null;
  readonly outcome: ActivationOutcome;
  readonly at: string;
}

export interface SystemProfileState {
  readonly exists: boolean;
  /** The stream version this state was folded to (the expected version for the next append). */
  readonly version: number;
  /** The live generations. */
  readonly generations: Readonly<Record<number, SystemGeneration>>;
  /** Deleted generations, ascending: their links and boot entries must not exist. */
  readonly deletedGenerations: readonly number[];
  readonly highestCreated: number;
  readonly machine: SystemState;
  readonly bootDefaultSince: string | null;
  readonly runningSince: string | null;
  readonly bootedSince: string | null;
  readonly configurationLimit: number;
  readonly lastActivation: LastActivation | null;
  /** The kernel boot id of the last `Booted`: a different one means the machine booted since. */
  readonly lastBootId: string | null;
  /** What the last observed boot booted (`Booted.bootedSystem`), known generation or not; null after a simulated reboot. */
  readonly bootedSystem: string | null;
}

export interface SystemEventMeta {
  readonly at: string;
  readonly version: number;
}

export const initialSystemProfileState: SystemProfileState = {
  exists: false,
  version: 0,
  generations: {},
  deletedGenerations: [],
  highestCreated: 0,
  machine: initialSystemState,
  bootDefaultSince: null,
  runningSince: null,
  bootedSince: null,
  configurationLimit: DEFAULT_CONFIGURATION_LIMIT,
  lastActivation: null,
  lastBootId: null,
  bootedSystem: null,
};

export function evolveSystem(state: SystemProfileState, event: SystemEvent, meta: SystemEventMeta): SystemProfileState {
  const next = { ...state, exists: true, version: meta.version };
  switch (event.type) {
    case 'SystemProfileSet': {
      const { generation, created, systemPath, configurationLimit } = event.data;
      const generations = created ? { ...state.generations, [generation]: { number: generation, createdAt: meta.at, systemPath } } : state.generations;
      return {
        ...next,
        generations,
        highestCreated: created ? Math.max(state.highestCreated, generation) : state.highestCreated,
        machine: applySystemTransition(state.machine, { kind: 'boot', generation }),
        bootDefaultSince: meta.at,
        configurationLimit,
      };
    }
    case 'SystemActivated': {
      const { action, systemPath, generation, activation } = event.data;
      const lastActivation = { action, systemPath, generation, outcome: activation, at: meta.at };
      if (activation.status === 'failed' || action === 'boot') return { ...next, lastActivation };
      const machine =
        action === 'test' || generation === null
          ? applySystemTransition(state.machine, { kind: 'test', path: systemPath })
          : applySystemTransition(state.machine, { kind: 'switch', generation });
      return { ...next, lastActivation, machine, runningSince: meta.at };
    }
    case 'SystemGenerationsDeleted': {
      const deleted = new Set(event.data.generations);
      const generations = Object.fromEntries(Object.entries(state.generations).filter(([number]) => !deleted.has(Number(number))));
      const deletedGenerations = [...new Set([...state.deletedGenerations, ...deleted])].sort((a, b) => a - b);
      return { ...next, generations, deletedGenerations };
    }
    case 'SystemChangeObserved':
      return { ...next, ...observedChange(state, event.data) };
    case 'Rebooted':
      return { ...next, machine: applySystemTransition(state.machine, { kind: 'reboot' }), runningSince: meta.at, bootedSince: meta.at, bootedSystem: null };
    case 'Booted': {
      const machine = applySystemTransition(state.machine, { kind: 'booted', generation: event.data.generation });
      return { ...next, machine, runningSince: meta.at, bootedSince: meta.at, lastBootId: event.data.bootId, bootedSystem: event.data.bootedSystem };
    }
    default:
      return notASystemEvent(event);
  }
}

/**
 * The generations and the boot default as `adopt -p system` found them:
 * found links replace what the ledger had under their numbers (a number it
 * had deleted lives again), vanished ones count as deleted, and the
 * highest number Nix used is the highest created, so genledger numbers on
 * after it. What runs and what was booted are not the profile's: they stay.
 */
function observedChange(state: SystemProfileState, data: SystemEventMap['SystemChangeObserved']): Partial<SystemProfileState> {
  const gone = new Set(data.deleted);
  const back = new Set(data.generations.map((found) => found.generation));
  const generations: Record<number, SystemGeneration> = Object.fromEntries(Object.entries(state.generations).filter(([number]) => !gone.has(Number(number))));
  for (const found of data.generations) generations[found.generation] = { number: found.generation, createdAt: found.createdAt, systemPath: found.systemPath };
  const deletedGenerations = [...new Set([...state.deletedGenerations.filter((number) => !back.has(number)), ...gone])].sort((a, b) => a - b);
  const highestCreated = Math.max(state.highestCreated, ...back);
  const moved = data.bootDefault === undefined ? {} : { machine: { ...state.machine, bootDefault: data.bootDefault.to }, bootDefaultSince: data.bootDefault.since };
  return { generations, deletedGenerations, highestCreated, ...moved };
}

/** The generations as the generation rules and the boot menu see them, lowest first. */
export function systemGenerationSummaries(state: SystemProfileState): GenerationSummary[] {
  return Object.values(state.generations)
    .sort((a, b) => a.number - b.number)
    .map((generation) => ({ number: generation.number, createdAt: Math.floor(Date.parse(generation.createdAt) / 1000), storePath: generation.systemPath }));
}

/** The generations nothing may delete: the boot default, the booted one and the running one. */
export function systemGenerationsInUse(state: SystemProfileState): Set<number> {
  const { bootDefault, booted, running } = state.machine;
  const inUse = [bootDefault, booted, running?.kind === 'generation' ? running.generation : null];
  return new Set(inUse.filter((number): number is number => number !== null));
}

/** The store path of what runs now: a generation's, or a test activation's. */
export function runningSystemPath(state: SystemProfileState): string | null {
  const running = state.machine.running;
  if (running === null) return null;
  return running.kind === 'test' ? running.path : generationPath(state, running.generation);
}

export function generationPath(state: SystemProfileState, generation: number | null): string | null {
  return generation === null ? null : (state.generations[generation]?.systemPath ?? null);
}

function notASystemEvent(event: never): never {
  const type = (event as { type?: unknown }).type;
  throw integrityError(
    'GENLEDGER_NOT_A_SYSTEM_EVENT',
    `the system stream holds an event of type '${String(type)}', which is not a system event`,
    "run 'genledger verify' and see 'genledger log -p system'",
  );
}
