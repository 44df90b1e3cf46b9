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

export interface ProfileLayout {
  readonly generationLinks: readonly DesiredLink[];
  /** Generation links the ledger knows as deleted: they must not exist. */
  readonly deletedLinks: readonly string[];
  readonly profileLink: DesiredLink | null;
  readonly autoRoots: readonly DesiredLink[];
  readonly staleAutoRoots: readonly string[];
}

export interface ProfilePlace {
  readonly link: string;
  readonly dir: string;
  readonly base: string;
}

export function profileLayout(state: ProfileState, place: ProfilePlace, autoRootsDir: string): ProfileLayout {
  const all = Object.values(state.generations).sort((a, b) => a.number - b.number);
  const linkOf = (number: number) => `${place.dir}/${makeGenerationLinkName(place.base, number)}`;
  const live = all.filter((generation) => !generation.deleted);
  const generationLinks = live.map((generation) => ({ path: linkOf(generation.number), target: generation.profilePath, mtime: epochSeconds(generation.createdAt) }));
  const deletedLinks = all.filter((generation) => generation.deleted).map((generation) => linkOf(generation.number));
  const current = state.current === null ? undefined : state.generations[state.current];
  const profileLink =
    current === undefined || current.deleted || state.currentSince === null
      ? null
      : { path: place.link, target: makeGenerationLinkName(place.base, current.number), mtime: epochSeconds(state.currentSince) };
  const autoRoot = (link: string) => `${autoRootsDir}/${indirectRootName(link)}`;
  return {
    generationLinks,
    deletedLinks,
    profileLink,
    autoRoots: generationLinks.map((link) => ({ path: autoRoot(link.path), target: link.path, mtime: link.mtime })),
    staleAutoRoots: deletedLinks.map(autoRoot),
  };
}

export function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
