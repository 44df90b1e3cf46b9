/**
 * evolve(state, event) and fold(state, events): total over the profile
 * event union. Generation events rebuild the new manifest by applying the
 * recorded RFC 6902 patch to the base generation's manifest (never
 * re-resolving anything). Every state is frozen (immer's auto-freeze stays
 * on), so an accidental mutation throws.
 */
import { castDraft, produce } from 'immer';
import type { Draft } from 'immer';
import type { GenerationFacts, ObservedGeneration, ProfileEvent } from './profile-events.js';
import { applyPatchFrozen } from './frozen-patch.js';
import { emptyManifest } from './profile-manifest.js';
import type { ProfileManifest } from './profile-manifest.js';
import type { Generation, ProfileState, Switch } from './profile-state.js';

export interface EventMeta {
  readonly at: string;
  readonly version: number;
}

export interface MetaEvent {
  readonly event: ProfileEvent;
  readonly meta: EventMeta;
}

export function evolve(state: ProfileState, event: ProfileEvent, meta: EventMeta): ProfileState {
  return fold(state, [{ event, meta }]);
}

/**
 * Folds many events into one new state. The events are applied to a plain
 * record of what changed (`Changes`), written into one immer draft at the
 * end: the state is copied and frozen once per fold, not once per event,
 * and the per-event work touches no proxy, so a stream folds in O(n) at a
 * few microseconds an event.
 */
export function fold(state: ProfileState, events: Iterable<MetaEvent>): ProfileState {
  const changes = new Changes(state);
  for (const { event, meta } of events) apply(changes, event, meta);
  return produce(state, (draft) => changes.writeTo(draft));
}

/** The state being folded: its scalars, the generations put so far (frozen, over the base's) and the new switches. */
class Changes {
  exists: boolean;
  version: number;
  current: number | null;
  currentSince: string | null;
  highestCreated: number;
  private readonly generations = new Map<number, Generation>();
  private readonly switches: Switch[] = [];

  constructor(private readonly base: ProfileState) {
    ({ exists: this.exists, version: this.version, current: this.current, currentSince: this.currentSince, highestCreated: this.highestCreated } = base);
  }

  generationOf(number: number): Generation | undefined {
    return this.generations.get(number) ?? this.base.generations[number];
  }

  manifestOf(number: number): ProfileManifest {
    return number === 0 ? emptyManifest : (this.generationOf(number)?.manifest ?? emptyManifest);
  }

  /** Its manifest is frozen already (patched, or the empty one), so freezing the record freezes it all. */
  put(generation: Generation): void {
    this.generations.set(generation.number, Object.freeze(generation));
    this.highestCreated = Math.max(this.highestCreated, generation.number);
  }

  switchTo(to: number, at: string): void {
    this.switches.push(Object.freeze({ from: this.current, to, at }));
    this.current = to;
    this.currentSince = at;
  }

  writeTo(draft: Draft<ProfileState>): void {
    Object.assign(draft, { exists: this.exists, version: this.version, current: this.current, currentSince: this.currentSince, highestCreated: this.highestCreated });
    for (const [number, generation] of this.generations) draft.generations[number] = castDraft(generation);
    if (this.switches.length > 0) draft.switches = castDraft([...this.base.switches, ...this.switches]);
  }
}

function apply(changes: Changes, event: ProfileEvent, meta: EventMeta): void {
  changes.exists = true;
  changes.version = meta.version;
  switch (event.type) {
    case 'ProfileCreated':
    case 'EventQuarantined':
      return;
    case 'PackagesInstalled':
    case 'PackagesRemoved':
    case 'PackagesUpgraded':
    case 'PriorityChanged':
    case 'GenerationRestored':
      applyGeneration(changes, event.data, meta.at);
      return;
    case 'GenerationSwitched': {
      const { emptyGeneration } = event.data;
      if (emptyGeneration !== undefined) {
        changes.put({ number: 0, createdAt: meta.at, profilePath: emptyGeneration.profilePath, manifest: emptyManifest, manifestVersion: emptyGeneration.manifestVersion, deleted: false });
      }
      changes.switchTo(event.data.to, meta.at);
      return;
    }
    case 'GenerationsDeleted':
    case 'HistoryWiped':
      markDeleted(changes, event.data.generations);
      return;
    case 'GenerationImported':
      putObserved(changes, event.data);
      changes.switchTo(event.data.generation, event.data.createdAt);
      return;
    case 'ProfileImported':
      settleCurrent(changes, event.data.current, meta.at);
      return;
    case 'ExternalChangeObserved': {
      // A generation observed here may be the base of the next one observed with it.
      for (const generation of event.data.generations) putObserved(changes, generation);
      markDeleted(changes, event.data.deleted);
      const { current } = event.data;
      if (current !== undefined) settleCurrent(changes, current.to, current.since ?? meta.at);
      return;
    }
    default:
      return assertNever(event);
  }
}

function applyGeneration(changes: Changes, facts: GenerationFacts, at: string): void {
  if (facts.created) {
    const manifest = patched(changes.manifestOf(facts.base), facts);
    changes.put({ number: facts.generation, createdAt: at, profilePath: facts.profilePath, manifest, manifestVersion: facts.manifestVersion, deleted: false });
  }
  if (changes.current !== facts.generation) changes.switchTo(facts.generation, at);
}

/** Records a generation read from disk as it was found, whatever the ledger knew under its number. */
function putObserved(changes: Changes, facts: ObservedGeneration): void {
  const manifest = patched(changes.manifestOf(facts.base), facts);
  changes.put({ number: facts.generation, createdAt: facts.createdAt, profilePath: facts.profilePath, manifest, manifestVersion: facts.manifestVersion, deleted: false });
}

function markDeleted(changes: Changes, numbers: readonly number[]): void {
  for (const number of numbers) {
    const generation = changes.generationOf(number);
    if (generation !== undefined) changes.put({ ...generation, deleted: true });
  }
}

/** Where a profile link found on disk points: no generation, a switch, or the same one since `at`. */
function settleCurrent(changes: Changes, to: number | null, at: string): void {
  if (to === null) {
    changes.current = null;
    changes.currentSince = null;
  } else if (changes.current !== to) changes.switchTo(to, at);
  else changes.currentSince = at;
}

function patched(base: ProfileManifest, facts: GenerationFacts): ProfileManifest {
  return applyPatchFrozen(base, facts.patch);
}

function assertNever(event: never): never {
  throw new Error(`unknown profile event ${JSON.stringify(event)}`);
}
