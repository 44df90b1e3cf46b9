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

/** What the ledger says a profile directory holds, whichever stream (a profile's or the system's) says it. */
export interface LedgerLinks {
  /** Live generation number -> its store path. */
  readonly live: ReadonlyMap<number, string>;
  readonly deleted: ReadonlySet<number>;
  readonly current: number | null;
}

export function profileDrift(state: ProfileState, links: ObservedLinks): ProfileDrift {
  const live = new Map(liveGenerations(state).map((generation) => [generation.number, generation.profilePath] as const));
  const deleted = new Set(Object.values(state.generations).filter((generation) => generation.deleted).map((generation) => generation.number));
  return linkDrift({ live, deleted, current: state.current }, links);
}

export function linkDrift(ledger: LedgerLinks, links: ObservedLinks): ProfileDrift {
  const generations: GenerationDrift[] = [];
  for (const link of links.generations) {
    const known = ledger.live.get(link.number);
    if (known === undefined) generations.push(ledger.deleted.has(link.number) ? { kind: 'reappeared', generation: link.number, link } : { kind: 'appeared', generation: link.number, link });
    else if (known !== link.target) generations.push({ kind: 'retargeted', generation: link.number, link, ledgerPath: known });
  }
  const onDisk = new Set(links.generations.map((link) => link.number));
  for (const [number, path] of ledger.live) {
    if (!onDisk.has(number)) generations.push({ kind: 'vanished', generation: number, ledgerPath: path });
  }
  generations.sort((a, b) => a.generation - b.generation);
  return ledger.current === links.current ? { generations } : { generations, current: { ledger: ledger.current, disk: links.current } };
}

export function hasDrift(drift: ProfileDrift): boolean {
  return drift.generations.length > 0 || drift.current !== undefined;
}
