/**
 * The rules the `system` stream keeps when the system commands wrote it,
 * checked on a stream read from outside (a bundle) before anything folds
 * or projects it: each event's data has its schema (field types, store
 * paths of this store, no unknown fields); a new generation is numbered one
 * above the highest ever created and a reused one exists with the same
 * path; `from`, an activation's generation and a reboot's generation and
 * paths are what the stream before them says; a deletion names live
 * generations, none in use; an observed change names only differences;
 * a boot's generation has its booted system's path;
 * and the stream folds through
 * the domain's own evolve. Pure: the store directory arrives as a predicate.
 */
import { bool, count, integer, list, nullable, object, oneOf, storePath, text } from './profile-event-schema.js';
import type { Check, IsStorePath } from './profile-event-schema.js';
import type { StreamRuleBreak } from './profile-stream-rules.js';
import type { SystemEvent, SystemEventMap, SystemEventType } from './system-events.js';
import { evolveSystem, generationPath, initialSystemProfileState, runningSystemPath, systemGenerationsInUse } from './system-profile.js';
import type { SystemEventMeta, SystemProfileState } from './system-profile.js';

const outcome: Check = (value, isStorePath) => {
  const status = (value as { status?: unknown } | null)?.status;
  if (status === 'skipped') return object({ status: oneOf('skipped'), reason: oneOf('no-activate', 'no-script') })(value, isStorePath);
  return object({
    status: oneOf('succeeded', 'failed'),
    exitCode: nullable(integer),
    signal: nullable(text),
    timedOut: bool,
    durationMs: count(0),
    outputTail: text,
    outputBytes: count(0),
  })(value, isStorePath);
};

const build: Check = nullable(
  object({
    flake: nullable(object({ originalUrl: text, lockedUrl: text, attribute: text })),
    nixPath: nullable(object({ file: text, attribute: text, includes: list(text), nixPath: nullable(text) })),
    configurationRevision: nullable(text),
    nixosVersion: nullable(text),
    kernelVersion: nullable(text),
    specialisations: list(text),
    storePath,
  }),
);

const schemas: Readonly<Record<SystemEventType, Check>> = {
  SystemProfileSet: object({
    action: oneOf('switch', 'boot'),
    how: oneOf('set', 'rollback', 'switch-generation'),
    from: nullable(count(1)),
    generation: count(1),
    created: bool,
    systemPath: storePath,
    configurationLimit: count(1),
    build,
  }),
  SystemActivated: object({
    action: oneOf('switch', 'boot', 'test'),
    systemPath: storePath,
    generation: nullable(count(1)),
    activation: outcome,
    build,
    'specialisation?': text,
    'observed?': object({ currentSystem: nullable(text), bootEntries: list(text) }),
  }),
  Rebooted: object({ generation: count(1), systemPath: storePath, previouslyRunning: nullable(storePath) }),
  Booted: object({ bootId: text, bootedSystem: nullable(text), generation: nullable(count(1)), kernel: nullable(text), at: text }),
  SystemGenerationsDeleted: object({ generations: list(count(1)), spec: list(text) }),
  SystemChangeObserved: object({
    generations: list(object({ generation: count(1), systemPath: storePath, createdAt: text, linkOwner: count(0) })),
    deleted: list(count(1)),
    'bootDefault?': object({ from: nullable(count(1)), to: nullable(count(1)), since: nullable(text) }),
  }),
};

/** The first event of `events` (the whole system stream, version 1 first) that breaks a rule, or null. */
export function systemStreamRuleBreak(events: ReadonlyArray<{ readonly event: SystemEvent; readonly meta: SystemEventMeta }>, isStorePath: IsStorePath): StreamRuleBreak | null {
  let state = initialSystemProfileState;
  for (const { event, meta } of events) {
    const schema = Object.hasOwn(schemas, event.type) ? schemas[event.type] : undefined;
    const problem = schema === undefined ? `a ${event.type} is not a system event` : (schema(event.data, isStorePath) ?? ruleProblem(state, event));
    if (problem !== null) return { version: meta.version, rule: problem };
    try {
      state = evolveSystem(state, event, meta);
    } catch {
      return { version: meta.version, rule: 'the system profile cannot be folded through it' };
    }
  }
  return null;
}

function ruleProblem(state: SystemProfileState, event: SystemEvent): string | null {
  switch (event.type) {
    case 'SystemProfileSet': {
      const { from, generation, created, systemPath } = event.data;
      if (from !== state.machine.bootDefault) return `its from ${from} is not the boot default before it (${state.machine.bootDefault})`;
      if (created) return generation === state.highestCreated + 1 ? null : `a new generation must be ${state.highestCreated + 1}, one above the highest ever created, not ${generation}`;
      return generationPath(state, generation) === systemPath ? null : `it reuses generation ${generation}, which does not exist with path ${systemPath}`;
    }
    case 'SystemActivated': {
      const { action, generation, systemPath } = event.data;
      if ((action === 'test') !== (generation === null)) return 'a test activation names no generation, and every other one names its generation';
      return generation === null || generationPath(state, generation) === systemPath ? null : `it activates generation ${generation}, which does not exist with path ${systemPath}`;
    }
    case 'SystemGenerationsDeleted': {
      const { generations } = event.data;
      if (generations.length === 0) return 'it deletes no generation';
      const inUse = systemGenerationsInUse(state);
      const wrong = generations.find((number) => generationPath(state, number) === null || inUse.has(number));
      return wrong === undefined ? null : `it deletes generation ${wrong}, which does not exist or is the boot default, booted or running`;
    }
    case 'SystemChangeObserved':
      return observedChangeProblem(state, event.data);
    case 'Booted': {
      const { generation, bootedSystem } = event.data;
      return generation === null || generationPath(state, generation) === bootedSystem ? null : `it names generation ${generation}, which does not exist with path ${String(bootedSystem)}`;
    }
    case 'Rebooted': {
      const { generation, systemPath, previouslyRunning } = event.data;
      if (generation !== state.machine.bootDefault || generationPath(state, generation) !== systemPath) return `a reboot starts the boot default (${state.machine.bootDefault}) with its path`;
      return previouslyRunning === runningSystemPath(state) ? null : 'its previouslyRunning is not what ran before it';
    }
  }
}

/** An observed change names only differences: links the ledger lacks or has elsewhere, live ones gone, a boot default that moved. */
function observedChangeProblem(state: SystemProfileState, data: SystemEventMap['SystemChangeObserved']): string | null {
  const same = data.generations.find((found) => generationPath(state, found.generation) === found.systemPath);
  if (same !== undefined) return `it observes generation ${same.generation}, which the ledger already has with that path`;
  const missing = data.deleted.find((number) => generationPath(state, number) === null);
  if (missing !== undefined) return `it observes generation ${missing} gone, which the ledger does not have`;
  if (data.bootDefault === undefined) return null;
  if (data.bootDefault.from !== state.machine.bootDefault) return `its bootDefault.from ${data.bootDefault.from} is not the boot default before it (${state.machine.bootDefault})`;
  const { to } = data.bootDefault;
  const live = to === null || data.generations.some((found) => found.generation === to) || (generationPath(state, to) !== null && !data.deleted.includes(to));
  return live ? null : `it moves the boot default to generation ${to}, which is not live after it`;
}
