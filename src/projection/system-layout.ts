/**
 * The desired on-disk layout of the system profile, from its folded state
 * alone: the profile part as any profile has it (`system-N-link` -> the
 * system store path itself, as `nix-env --set` makes it; `system` -> the
 * boot default's link; an indirect GC root per generation link; no link
 * nor root for a deleted generation), the
 * volatile links `run/current-system` (what runs) and `run/booted-system`
 * (what was booted), each absent when there is none, and the boot loader
 * files of `planBootEntries`. On a real root (`volatile: null`) those are
 * the activation's to write, so the layout has the profile part only. Every mtime is the time of the event that
 * put the link there, so the same log gives the same bytes anywhere.
 */
import { ENTRIES_DIR, planBootEntries } from '../domain/boot-entries.js';
import { makeGenerationLinkName } from '../domain/generation-link-name.js';
import { generationPath, runningSystemPath, systemGenerationSummaries } from '../domain/system-profile.js';
import type { SystemProfileState } from '../domain/system-profile.js';
import { autoRootOf, autoRootPath, epochSeconds } from './profile-layout.js';
import type { DesiredLink, ProfileLayout, ProfilePlace } from './profile-layout.js';

export interface SystemPlace {
  readonly profile: ProfilePlace;
  readonly autoRootsDir: string;
  /** Where genledger writes run/ and the boot loader files; null on a real root. */
  readonly volatile: VolatilePlace | null;
}

export interface VolatilePlace {
  readonly currentSystemLink: string;
  readonly bootedSystemLink: string;
  readonly bootDir: string;
}

export interface RunLink {
  readonly path: string;
  /** null: there is nothing to point at, so the link must not exist. */
  readonly desired: DesiredLink | null;
}

export interface SystemLayout {
  readonly profile: ProfileLayout;
  readonly runLinks: readonly RunLink[];
  /** Absolute path -> content, in the order to write them (entries before the loader.conf naming one). */
  readonly bootFiles: ReadonlyMap<string, string>;
  /** Where stale generation entries are looked for; null when genledger writes none. */
  readonly entriesDir: string | null;
}

export function systemLayout(state: SystemProfileState, place: SystemPlace): SystemLayout {
  const summaries = systemGenerationSummaries(state);
  const linkOf = (number: number) => `${place.profile.dir}/${makeGenerationLinkName(place.profile.base, number)}`;
  const generationLinks = summaries.map((generation) => ({ path: linkOf(generation.number), target: generation.storePath, mtime: generation.createdAt }));
  const { bootDefault, booted } = state.machine;
  const profileLink =
    bootDefault === null || state.bootDefaultSince === null
      ? null
      : { path: place.profile.link, target: makeGenerationLinkName(place.profile.base, bootDefault), mtime: epochSeconds(state.bootDefaultSince) };
  const deletedLinks = state.deletedGenerations.map(linkOf);
  const profile: ProfileLayout = {
    generationLinks,
    deletedLinks,
    profileLink,
    autoRoots: generationLinks.map((link) => autoRootOf(link, place.autoRootsDir)),
    staleAutoRoots: deletedLinks.map((link) => autoRootPath(link, place.autoRootsDir)),
  };
  const { volatile } = place;
  if (volatile === null) return { profile, runLinks: [], bootFiles: new Map(), entriesDir: null };
  const runLinks = [
    runLink(volatile.currentSystemLink, runningSystemPath(state), state.runningSince),
    runLink(volatile.bootedSystemLink, generationPath(state, booted), state.bootedSince),
  ];
  const plan = planBootEntries(summaries, bootDefault, state.configurationLimit);
  const bootFiles = new Map([...plan.files].map(([relative, content]) => [`${volatile.bootDir}/${relative}`, content] as const));
  return { profile, runLinks, bootFiles, entriesDir: `${volatile.bootDir}/${ENTRIES_DIR}` };
}

function runLink(path: string, target: string | null, since: string | null): RunLink {
  return { path, desired: target === null || since === null ? null : { path, target, mtime: epochSeconds(since) } };
}
