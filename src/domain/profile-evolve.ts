/**
 * evolve(state, event): total over the profile event union. Generation
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
import type { ProfileState } from './profile-state.js';

// fast-json-patch is CommonJS: Node's ESM loader only offers its default export.
const { applyPatch, deepClone } = jsonPatch;

export interface EventMeta {
  readonly at: string;
  readonly version: number;
}

export function evolve(state: ProfileState, event: ProfileEvent, meta: EventMeta): ProfileState {
  return produce(state, (draft) => {
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
        applyGeneration(draft, state, event.data, meta.at);
        return;
      case 'GenerationSwitched': {
        const { emptyGeneration } = event.data;
        if (emptyGeneration !== undefined) {
          draft.generations[0] = { number: 0, createdAt: meta.at, profilePath: emptyGeneration.profilePath, manifest: castDraft(emptyManifest), manifestVersion: emptyGeneration.manifestVersion, deleted: false };
        }
        switchTo(draft, event.data.to, meta.at);
        return;
      }
      case 'GenerationsDeleted':
      case 'HistoryWiped':
        markDeleted(draft, event.data.generations);
        return;
      case 'GenerationImported':
        putObserved(draft, state, new Map(), event.data);
        switchTo(draft, event.data.generation, event.data.createdAt);
        return;
      case 'ProfileImported':
        settleCurrent(draft, event.data.current, meta.at);
        return;
      case 'ExternalChangeObserved': {
        // A generation observed here may be the base of the next one observed with it.
        const manifests = new Map<number, ProfileManifest>();
        for (const generation of event.data.generations) manifests.set(generation.generation, putObserved(draft, state, manifests, generation));
        markDeleted(draft, event.data.deleted);
        const { current } = event.data;
        if (current !== undefined) settleCurrent(draft, current.to, current.since ?? meta.at);
        return;
      }
      default:
        return assertNever(event);
    }
  });
}

function applyGeneration(draft: Draft<ProfileState>, state: ProfileState, facts: GenerationFacts, at: string): void {
  if (facts.created) {
    const manifest = castDraft(patched(baseManifest(state, facts.base), facts));
    draft.generations[facts.generation] = { number: facts.generation, createdAt: at, profilePath: facts.profilePath, manifest, manifestVersion: facts.manifestVersion, deleted: false };
    draft.highestCreated = Math.max(state.highestCreated, facts.generation);
  }
  if (state.current !== facts.generation) switchTo(draft, facts.generation, at);
}

/** Records a generation read from disk as it was found, whatever the ledger knew under its number. */
function putObserved(draft: Draft<ProfileState>, state: ProfileState, observed: ReadonlyMap<number, ProfileManifest>, facts: ObservedGeneration): ProfileManifest {
  const manifest = patched(observed.get(facts.base) ?? baseManifest(state, facts.base), facts);
  draft.generations[facts.generation] = {
    number: facts.generation,
    createdAt: facts.createdAt,
    profilePath: facts.profilePath,
    manifest: castDraft(manifest),
    manifestVersion: facts.manifestVersion,
    deleted: false,
  };
  draft.highestCreated = Math.max(draft.highestCreated, facts.generation);
  return manifest;
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

function baseManifest(state: ProfileState, base: number): ProfileManifest {
  return base === 0 ? emptyManifest : (state.generations[base]?.manifest ?? emptyManifest);
}

function patched(base: ProfileManifest, facts: GenerationFacts): ProfileManifest {
  return applyPatch(base, deepClone(facts.patch), false, false).newDocument as ProfileManifest;
}

function assertNever(event: never): never {
  throw new Error(`unknown profile event ${JSON.stringify(event)}`);
}
