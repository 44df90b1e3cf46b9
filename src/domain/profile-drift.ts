/**
 * Drift: how a profile directory differs from what the ledger says it
 * should hold, when the difference can only come from outside genledger.
 * A generation link that appeared (a number the ledger never used, or one
 * it deleted), one that points at another store path, one that is gone
 * while the ledger has it live, and a profile link naming another
 * generation. Differences in mtimes or GC roots are not drift: projecting
 * again repairs them without losing anything.
 */
import type { ObservedLink, ObservedLinks } from './observed-profile.js';
import { liveGenerations } from './profile-state.js';
import type { ProfileState } from './profile-state.js';

export type GenerationDrift =
  /** A link under a number the ledger never used. */
  | { readonly kind: 'appeared'; readonly generation: number; readonly link: ObservedLink }
  /** A link under a number whose generation the ledger deleted. */
  | { readonly kind: 'reappeared'; readonly generation: number; readonly link: ObservedLink }
  | { readonly kind: 'retargeted'; readonly generation: number; readonly link: ObservedLink; readonly ledgerPath: string }
  | { readonly kind: 'vanished'; readonly generation: number; readonly ledgerPath: string };

export interface ProfileDrift {
  /** Ascending by generation number. */
  readonly generations: readonly GenerationDrift[];
  /** Present when the profile link names another generation than the ledger's current one. */
  readonly current?: { readonly ledger: number | null; readonly disk: number | null };
}

export function profileDrift(state: ProfileState, links: ObservedLinks): ProfileDrift {
  const generations: GenerationDrift[] = [];
  for (const link of links.generations) {
    const known = state.generations[link.number];
    if (known === undefined) generations.push({ kind: 'appeared', generation: link.number, link });
    else if (known.deleted) generations.push({ kind: 'reappeared', generation: link.number, link });
    else if (known.profilePath !== link.target) generations.push({ kind: 'retargeted', generation: link.number, link, ledgerPath: known.profilePath });
  }
  const onDisk = new Set(links.generations.map((link) => link.number));
  for (const generation of liveGenerations(state)) {
    if (!onDisk.has(generation.number)) generations.push({ kind: 'vanished', generation: generation.number, ledgerPath: generation.profilePath });
  }
  generations.sort((a, b) => a.generation - b.generation);
  return state.current === links.current ? { generations } : { generations, current: { ledger: state.current, disk: links.current } };
}

export function hasDrift(drift: ProfileDrift): boolean {
  return drift.generations.length > 0 || drift.current !== undefined;
}
