/**
 * Taking over generations genledger did not make, as pure decisions over
 * what was read from disk. `decideImport` turns a whole Nix profile into one
 * GenerationImported event per generation link, each dated by the link's
 * mtime, and a closing ProfileImported dated by the profile link's mtime;
 * `decideAdoption` turns drift into one ExternalChangeObserved event. Folding
 * either gives back exactly the numbers, targets and current generation
 * found on disk; numbers Nix had deleted never exist in the ledger.
 *
 * Nix does not record what a generation was built from, so `base` is
 * reconstructed: an import takes each generation to follow the one below
 * it; an adoption takes a generation above every number the ledger used to
 * follow the current one (Nix builds a new generation from the current
 * profile), and any other to follow the nearest lower generation.
 */
import jsonPatch from 'fast-json-patch';
import { refused } from '../errors.js';
import type { Actor } from '../world.js';
import { manifestChanges } from './manifest-changes.js';
import type { ObservedLink, ObservedLinks, ObservedManifest } from './observed-profile.js';
import type { ObservedGeneration, ProfileEvent } from './profile-events.js';
import { emptyManifest } from './profile-manifest.js';
import type { ProfileManifest } from './profile-manifest.js';
import type { ProfileDrift } from './profile-drift.js';
import type { ProfileState } from './profile-state.js';

// fast-json-patch is CommonJS: Node's ESM loader only offers its default export.
const { compare } = jsonPatch;

/** An event with the time and link owner it is recorded under. */
export interface DatedEvent {
  readonly at: string;
  readonly owner: number;
  readonly event: ProfileEvent;
}

export interface ImportContext {
  /** The Nix profile link imported. */
  readonly source: string;
  readonly importedBy: Actor;
  readonly importedAt: string;
}

export type ManifestOf = (generation: number) => ObservedManifest;

export function decideImport(links: ObservedLinks, manifestOf: ManifestOf, context: ImportContext): DatedEvent[] {
  const last = links.generations.at(-1);
  if (last === undefined) throw refused('GENLEDGER_NOT_A_PROFILE', `'${context.source}' has no generation links next to it`, 'name a profile link, like /nix/var/nix/profiles/per-user/root/profile');
  let base = { number: 0, manifest: emptyManifest };
  const events: DatedEvent[] = links.generations.map((link) => {
    const read = manifestOf(link.number);
    const data = { ...observe(link, read, base.number, base.manifest), source: context.source };
    base = { number: link.number, manifest: read.manifest };
    return { at: link.mtime, owner: link.owner, event: { type: 'GenerationImported', data } };
  });
  const generations = links.generations.map((link) => link.number);
  const closing: ProfileEvent = {
    type: 'ProfileImported',
    data: { source: context.source, generations, gaps: gapsOf(generations), current: links.current, importedBy: context.importedBy, importedAt: context.importedAt },
  };
  return [...events, { at: links.currentSince ?? last.mtime, owner: links.currentOwner ?? last.owner, event: closing }];
}

export function decideAdoption(state: ProfileState, links: ObservedLinks, drift: ProfileDrift, manifestOf: ManifestOf): ProfileEvent {
  const used = Object.keys(state.generations).reduce((highest, key) => Math.max(highest, Number(key)), state.highestCreated);
  const found = new Map<number, ProfileManifest>();
  let newest: number | null = null;
  const generations: ObservedGeneration[] = [];
  for (const item of drift.generations) {
    if (item.kind === 'vanished') continue;
    const base = item.generation > used ? (newest ?? state.current ?? 0) : nearestBelow(state, found, item.generation);
    const read = manifestOf(item.generation);
    generations.push(observe(item.link, read, base, found.get(base) ?? manifestAt(state, base)));
    found.set(item.generation, read.manifest);
    if (item.generation > used) newest = item.generation;
  }
  const deleted = drift.generations.filter((item) => item.kind === 'vanished').map((item) => item.generation);
  const current = drift.current === undefined ? {} : { current: { from: state.current, to: links.current, since: links.currentSince } };
  return { type: 'ExternalChangeObserved', data: { generations, deleted, ...current } };
}

function observe(link: ObservedLink, read: ObservedManifest, base: number, baseManifest: ProfileManifest): ObservedGeneration {
  return {
    generation: link.number,
    created: true,
    base,
    patch: compare(baseManifest, read.manifest),
    profilePath: link.target,
    manifestVersion: read.manifestVersion,
    createdAt: link.mtime,
    format: read.format,
    linkOwner: link.owner,
    changes: manifestChanges(baseManifest, read.manifest),
  };
}

function nearestBelow(state: ProfileState, found: ReadonlyMap<number, ProfileManifest>, number: number): number {
  return [...Object.keys(state.generations).map(Number), ...found.keys()].reduce((nearest, n) => (n < number && n > nearest ? n : nearest), 0);
}

function manifestAt(state: ProfileState, number: number): ProfileManifest {
  return state.generations[number]?.manifest ?? emptyManifest;
}

/** The numbers from 1 to the highest that are missing, as ranges. */
function gapsOf(ascending: readonly number[]): [number, number][] {
  const gaps: [number, number][] = [];
  let expected = 1;
  for (const number of ascending) {
    if (number > expected) gaps.push([expected, number - 1]);
    expected = Math.max(expected, number + 1);
  }
  return gaps;
}
