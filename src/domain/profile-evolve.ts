/**
 * evolve(state, event) and fold(state, events): total over the profile
 * event union. Generation
 * events rebuild the new manifest by applying the recorded RFC 6902 patch to
 * the base generation's manifest (never re-resolving anything). Immer's
 * auto-freeze stays on, so an accidental mutation throws.
 */
import jsonPatch from 'fast-json-patch';
import { castDraft, produce } from 'immer';
import type { Draft } from 'immer';
import type { GenerationFacts, ObservedGeneration, ProfileEvent } from './profile-events.js';
import { emptyManifest } from './profile-manifest.js';
import type { ProfileManifest } from './profile-manifest.js';
import type { Generation, ProfileState } from './profile-state.js';

// fast-json-patch is CommonJS: Node's ESM loader only offers its default export.
const { applyPatch, deepClone } = jsonPatch;

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
 * Folds many events in one immer draft: the state is copied and frozen once
 * per fold, not once per event, so a stream of n generations folds in O(n).
 */
export function fold(state: ProfileState, events: Iterable<MetaEvent>): ProfileState {
  // Manifests created in this fold, read as plain values (reading them back through the draft would proxy them).
  const created = new Map<number, ProfileManifest>();
  const manifestOf = (generation: number): ProfileManifest =>
    generation === 0 ? emptyManifest : (created.get(generation) ?? state.generations[generation]?.manifest ?? emptyManifest);
  const put = (draft: Draft<ProfileState>, generation: Generation): ProfileManifest => {
    created.set(generation.number, generation.manifest);
    draft.generations[generation.number] = castDraft(generation);
    draft.highestCreated = Math.max(draft.highestCreated, generation.number);
    return generation.manifest;
  };
  return produce(state, (draft) => {
    for (const { event, meta } of events) apply(draft, event, meta, { manifestOf, put });
  });
}

interface Generations {
  manifestOf(generation: number): ProfileManifest;
  put(draft: Draft<ProfileState>, generation: Generation): ProfileManifest;
}

function apply(draft: Draft<ProfileState>, event: ProfileEvent, meta: EventMeta, generations: Generations): void {
  draft.exists = true;
  draft.version = meta.version;
  switch (event.type) {
    case 'ProfileCreated':
      return;
    case 'PackagesInstalled':
    case 'PackagesRemoved':
    case 'PackagesUpgraded':
    case 'PriorityChanged':
    case 'GenerationRestored':
      applyGeneration(draft, generations, event.data, meta.at);
      return;
    case 'GenerationSwitched': {
      const { emptyGeneration } = event.data;
      if (emptyGeneration !== undefined) {
        generations.put(draft, { number: 0, createdAt: meta.at, profilePath: emptyGeneration.profilePath, manifest: emptyManifest, manifestVersion: emptyGeneration.manifestVersion, deleted: false });
      }
      switchTo(draft, event.data.to, meta.at);
      return;
    }
    case 'GenerationsDeleted':
    case 'HistoryWiped':
      markDeleted(draft, event.data.generations);
      return;
    case 'GenerationImported':
      putObserved(draft, generations, event.data);
      switchTo(draft, event.data.generation, event.data.createdAt);
      return;
    case 'ProfileImported':
      settleCurrent(draft, event.data.current, meta.at);
      return;
    case 'ExternalChangeObserved': {
      // A generation observed here may be the base of the next one observed with it.
      for (const generation of event.data.generations) putObserved(draft, generations, generation);
      markDeleted(draft, event.data.deleted);
      const { current } = event.data;
      if (current !== undefined) settleCurrent(draft, current.to, current.since ?? meta.at);
      return;
    }
    default:
      return assertNever(event);
  }
}

function applyGeneration(draft: Draft<ProfileState>, generations: Generations, facts: GenerationFacts, at: string): void {
  if (facts.created) {
    const manifest = patched(generations.manifestOf(facts.base), facts);
    generations.put(draft, { number: facts.generation, createdAt: at, profilePath: facts.profilePath, manifest, manifestVersion: facts.manifestVersion, deleted: false });
  }
  if (draft.current !== facts.generation) switchTo(draft, facts.generation, at);
}

/** Records a generation read from disk as it was found, whatever the ledger knew under its number. */
function putObserved(draft: Draft<ProfileState>, generations: Generations, facts: ObservedGeneration): void {
  const manifest = patched(generations.manifestOf(facts.base), facts);
  generations.put(draft, { number: facts.generation, createdAt: facts.createdAt, profilePath: facts.profilePath, manifest, manifestVersion: facts.manifestVersion, deleted: false });
}

function markDeleted(draft: Draft<ProfileState>, numbers: readonly number[]): void {
  for (const number of numbers) {
    const generation = draft.generations[number];
    if (generation !== undefined) generation.deleted = true;
  }
}

/** Where a profile link found on disk points: no generation, a switch, or the same one since `at`. */
function settleCurrent(draft: Draft<ProfileState>, to: number | null, at: string): void {
  if (to === null) {
    draft.current = null;
    draft.currentSince = null;
  } else if (draft.current !== to) switchTo(draft, to, at);
  else draft.currentSince = at;
}

function switchTo(draft: Draft<ProfileState>, to: number, at: string): void {
  draft.switches.push({ from: draft.current, to, at });
  draft.current = to;
  draft.currentSince = at;
}

function patched(base: ProfileManifest, facts: GenerationFacts): ProfileManifest {
  return applyPatch(base, deepClone(facts.patch), false, false).newDocument as ProfileManifest;
}

function assertNever(event: never): never {
  throw new Error(`unknown profile event ${JSON.stringify(event)}`);
}
