/**
 * The garbage collector's plan, computed purely from what the store holds:
 * which paths are live (the closure of the roots), which are dead and the
 * order to delete them in, and what becomes of the directory entries this
 * home does not know. `--dry-run` prints this value; `collect-garbage.ts`
 * carries it out.
 *
 * Invariants: live and dead partition the valid paths (minus any left for a
 * later run by `maxFreed`); no dead path comes before a dead path that
 * references it, so every prefix of `dead` is safe to delete and stopping
 * early never leaves a valid path referring to a deleted one. Paths a
 * running process of this home is adding (its temporary roots) are roots.
 * An entry that is not a valid path is removed only when it is provably
 * this home's own leftover (a temporary entry, or an entry a temporary root
 * names, whose process is gone) or, with `deleteUnknown`, when it is named
 * like a store path; everything else is kept and reported: it may be
 * another home's or another tool's.
 */
import { closureOf, topoSortPaths } from './closure.js';
import { pidOfTempName } from './temp-name.js';
import type { TempRoots } from './temp-roots.js';

export interface ValidPathFacts {
  readonly references: readonly string[];
  readonly narSize: number;
  /** With Nix's default `keep-derivations = true`, a live path keeps its valid deriver live. */
  readonly deriver?: string;
}

export interface GcPlanInput {
  readonly valid: ReadonlyMap<string, ValidPathFacts>;
  readonly roots: Iterable<string>;
  /** Base names present in the physical store directory. */
  readonly storeEntries: readonly string[];
  /** Whether the process that made a temporary entry still runs (its entry may be work in progress); unasked, every one does. */
  readonly processAlive?: (pid: number) => boolean;
  /** What this home's processes recorded as being added to the store (temp-roots.ts). */
  readonly tempRoots?: readonly TempRoots[];
  /** Whether a base name is named like a store path (`<32 nix32 chars>-<name>`); unasked, none is. */
  readonly isStorePathName?: (name: string) => boolean;
  /** `--delete-unknown`: also remove unknown entries named like store paths. */
  readonly deleteUnknown?: boolean;
  /** Stop taking dead paths once their NAR sizes add up to this (`--max-freed`). */
  readonly maxFreed?: number;
}

export interface DeadPath {
  readonly path: string;
  readonly bytes: number;
}

export interface GcPlan {
  /** Sorted, as `nix-store --gc --print-live` prints them. */
  readonly live: string[];
  /** In deletion order: referrers before their references. */
  readonly dead: DeadPath[];
  /** Temporary entries (`.tmp-<pid>-…`), and entries a temporary root names, whose process is gone: removed. Sorted. */
  readonly temporary: string[];
  /** Unknown entries named like store paths, removed because of `deleteUnknown`. Sorted. */
  readonly unknownRemoved: string[];
  /** Every other entry that is not a valid path: kept. Sorted. */
  readonly unknown: string[];
  /** The NAR sizes of `dead`, which is what Nix reports as freed. */
  readonly bytes: number;
}

/** Nix's hard-link directory for store optimisation, and gc's own trash: not paths, never unknown. */
export const LINKS_DIR = '.links';
export const TRASH_DIR = '.genledger-trash';

export function planGarbageCollection(input: GcPlanInput): GcPlan {
  const { valid } = input;
  const referencesOf = (path: string) => valid.get(path)?.references ?? [];
  const keptBy = (path: string) => {
    const deriver = valid.get(path)?.deriver;
    return deriver === undefined ? referencesOf(path) : [...referencesOf(path), deriver];
  };
  const alive = (pid: number) => input.processAlive?.(pid) !== false;
  const held = new Set((input.tempRoots ?? []).filter((roots) => alive(roots.pid)).flatMap((roots) => roots.names));
  const abandoned = new Set((input.tempRoots ?? []).filter((roots) => !alive(roots.pid)).flatMap((roots) => roots.names));
  const heldPaths = [...valid.keys()].filter((path) => held.has(baseName(path)));
  const reachable = closureOf([...input.roots, ...heldPaths].filter((root) => valid.has(root)), keptBy);
  const live = [...reachable].filter((path) => valid.has(path)).sort();

  const deadSet = new Set([...valid.keys()].filter((path) => !reachable.has(path)));
  const dead: DeadPath[] = [];
  let bytes = 0;
  for (const path of topoSortPaths(deadSet, referencesOf).reverse()) {
    if (input.maxFreed !== undefined && bytes >= input.maxFreed) break;
    const size = valid.get(path)?.narSize ?? 0;
    dead.push({ path, bytes: size });
    bytes += size;
  }

  const validNames = new Set([...valid.keys()].map(baseName));
  const temporary: string[] = [];
  const unknownRemoved: string[] = [];
  const unknown: string[] = [];
  for (const name of [...input.storeEntries].sort()) {
    if (name === LINKS_DIR || name === TRASH_DIR || validNames.has(name)) continue;
    const pid = pidOfTempName(name);
    if ((pid !== null && !alive(pid)) || (abandoned.has(name) && !held.has(name))) temporary.push(name);
    else if (pid === null && input.deleteUnknown === true && input.isStorePathName?.(name) === true) unknownRemoved.push(name);
    else unknown.push(name);
  }

  return { live, dead, temporary, unknownRemoved, unknown, bytes };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
