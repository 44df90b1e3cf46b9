/**
 * The garbage collector's plan, computed purely from what the store holds:
 * which paths are live (the closure of the roots), which are dead and the
 * order to delete them in, and which directory entries are junk. `--dry-run`
 * prints this value; `collect-garbage.ts` carries it out.
 *
 * Invariants: live and dead partition the valid paths (minus any left for a
 * later run by `maxFreed`); no dead path comes before a dead path that
 * references it, so every prefix of `dead` is safe to delete and stopping
 * early never leaves a valid path referring to a deleted one.
 */
import { closureOf, topoSortPaths } from './closure.js';

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
  /** Entry names in the store directory that are not valid paths, sorted. */
  readonly junk: string[];
  /** The NAR sizes of `dead`, which is what Nix reports as freed. */
  readonly bytes: number;
}

/** Nix's hard-link directory for store optimisation: not a path, not junk. */
const LINKS_DIR = '.links';

export function planGarbageCollection(input: GcPlanInput): GcPlan {
  const { valid } = input;
  const referencesOf = (path: string) => valid.get(path)?.references ?? [];
  const keptBy = (path: string) => {
    const deriver = valid.get(path)?.deriver;
    return deriver === undefined ? referencesOf(path) : [...referencesOf(path), deriver];
  };
  const reachable = closureOf([...input.roots].filter((root) => valid.has(root)), keptBy);
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
  const junk = input.storeEntries.filter((name) => name !== LINKS_DIR && !validNames.has(name)).sort();

  return { live, dead, junk, bytes };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
