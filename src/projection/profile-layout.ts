/**
 * The desired on-disk layout of one profile, computed from its folded state
 * alone: a generation link `<base>-N-link` -> profile store path for every
 * live generation (mtime = the generation's creation time), the profile link
 * -> the current generation's link (relative, as Nix writes it; mtime = when
 * it became current), and an indirect GC root per generation link.
 */
import { makeGenerationLinkName } from '../domain/generation-link-name.js';
import type { ProfileState } from '../domain/profile-state.js';
import { indirectRootName } from '../store/indirect-root.js';

export interface DesiredLink {
  readonly path: string;
  readonly target: string;
  /** Seconds since the epoch. */
  readonly mtime: number;
}

/** A profile's own links: those in its directory. */
export interface ProfileLinks {
  readonly generationLinks: readonly DesiredLink[];
  /** Generation links the ledger knows as deleted: they must not exist. */
  readonly deletedLinks: readonly string[];
  readonly profileLink: DesiredLink | null;
}

/** The links and, for each generation link, its indirect GC root. */
export interface ProfileLayout extends ProfileLinks {
  readonly autoRoots: readonly DesiredLink[];
  readonly staleAutoRoots: readonly string[];
}

export interface ProfilePlace {
  readonly link: string;
  readonly dir: string;
  readonly base: string;
}

export function profileLinks(state: ProfileState, place: ProfilePlace): ProfileLinks {
  const all = Object.values(state.generations).sort((a, b) => a.number - b.number);
  const linkOf = (number: number) => `${place.dir}/${makeGenerationLinkName(place.base, number)}`;
  const live = all.filter((generation) => !generation.deleted);
  const current = state.current === null ? undefined : state.generations[state.current];
  return {
    generationLinks: live.map((generation) => ({ path: linkOf(generation.number), target: generation.profilePath, mtime: epochSeconds(generation.createdAt) })),
    deletedLinks: all.filter((generation) => generation.deleted).map((generation) => linkOf(generation.number)),
    profileLink:
      current === undefined || current.deleted || state.currentSince === null
        ? null
        : { path: place.link, target: makeGenerationLinkName(place.base, current.number), mtime: epochSeconds(state.currentSince) },
  };
}

export function profileLayout(state: ProfileState, place: ProfilePlace, autoRootsDir: string): ProfileLayout {
  const links = profileLinks(state, place);
  return {
    ...links,
    autoRoots: links.generationLinks.map((link) => autoRootOf(link, autoRootsDir)),
    staleAutoRoots: links.deletedLinks.map((link) => autoRootPath(link, autoRootsDir)),
  };
}

/** The indirect GC root of a generation link: named for the link's path, pointing at it, with its mtime. */
export function autoRootOf(link: DesiredLink, autoRootsDir: string): DesiredLink {
  return { path: autoRootPath(link.path, autoRootsDir), target: link.path, mtime: link.mtime };
}

export function autoRootPath(link: string, autoRootsDir: string): string {
  return `${autoRootsDir}/${indirectRootName(link)}`;
}

export function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
