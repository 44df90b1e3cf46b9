/**
 * The generation rules of Nix's `profiles.cc`, as pure functions over a
 * profile's live generations: the number a new generation gets, the targets
 * of rollback, switch-generation and undo, and which generations a
 * `delete-generations` spec removes. Each returns numbers or refuses with a
 * typed error; the caller records the result as an event.
 *
 * Invariants: a number is never given to two different store paths in one
 * profile's history; every target returned exists or is the empty
 * generation 0 (as in Guix, always reachable by a rollback from the first;
 * once a rollback has made its link it is listed, and deleted, like any
 * other, as Nix would treat a `NAME-0-link`); `old`, `+N`
 * and `Nd` never delete the current generation, nor does a retention
 * policy, and an explicit list naming it deletes nothing.
 */
import { refused } from '../errors.js';
import { SECONDS_PER_DAY } from './generation-spec.js';
import type { GenerationSpec } from './generation-spec.js';
import { generationsNotRetained } from './retention-policy.js';

/** A generation as Nix sees it on disk: the number in the link name, the link's own mtime, its target. */
export interface GenerationSummary {
  readonly number: number;
  /** Epoch seconds: the link's mtime, i.e. the time of the event that created the generation. */
  readonly createdAt: number;
  readonly storePath: string;
}

export interface NextGeneration {
  readonly number: number;
  /** The highest generation already has this store path: nothing is created, the profile just points there. */
  readonly reused: boolean;
}

/** A recorded change of the current generation (null: there was none). */
export interface SwitchRecord {
  readonly from: number | null;
  readonly to: number;
}

export const EMPTY_GENERATION = 0;

const LIST_HINT = "see the generations with 'genledger profile list-generations'";

/**
 * Nix compares the new path with the *highest* generation, not the current
 * one, and numbers a new generation after the highest link on disk, because
 * the directory is its only state: delete the top generation and Nix hands
 * its number out again. The ledger remembers the deleted one, so reusing its
 * number would put two different generation Ns in one history;
 * `highestEverCreated` keeps new numbers above every number ever used.
 */
export function nextGeneration(
  generations: readonly GenerationSummary[],
  storePath: string,
  highestEverCreated: number,
): NextGeneration {
  const highest = byNumber(generations).at(-1);
  if (highest !== undefined && highest.storePath === storePath) return { number: highest.number, reused: true };
  return { number: Math.max(highest?.number ?? 0, highestEverCreated) + 1, reused: false };
}

/**
 * The largest existing number below the current one (gaps are skipped).
 * Beyond Nix, the lowest generation rolls back to the empty generation 0, so
 * even the first install can be undone; from 0, or with no current
 * generation, there is nowhere older to go.
 */
export function rollbackTarget(generations: readonly GenerationSummary[], current: number | null): number {
  if (current === null || current === EMPTY_GENERATION) {
    throw refused(
      'GENLEDGER_NO_OLDER_GENERATION',
      `no profile version older than the current (${current ?? 0}) exists`,
      LIST_HINT,
    );
  }
  return byNumber(generations).findLast((generation) => generation.number < current)?.number ?? EMPTY_GENERATION;
}

/** `switch-generation N`: N must exist or be the empty generation 0; newer generations are allowed. */
export function switchTarget(generations: readonly GenerationSummary[], n: number): number {
  if (!isReachable(generations, n)) {
    throw refused('GENLEDGER_NO_SUCH_GENERATION', `profile version ${n} does not exist`, LIST_HINT);
  }
  return n;
}

/**
 * `profile undo`: back to what was current before the most recent switch,
 * so a second undo undoes the first, as `cd -` does. `switches` must record
 * every change of the current generation, new generations included; the
 * last one's `to` is where the profile is. A switch from no generation
 * counts as one from the empty generation 0, so undoing the first install
 * empties the profile, as rollback does. Switches from where the profile
 * already is are passed over. When the generation undo would go back to
 * has been deleted, undo refuses and names it: going anywhere else would
 * not be an undo, and `profile restore N` rebuilds it.
 */
export function undoTarget(switches: readonly SwitchRecord[], generations: readonly GenerationSummary[]): number {
  const current = switches.at(-1)?.to;
  const target = switches.map((change) => change.from ?? EMPTY_GENERATION).findLast((from) => from !== current);
  if (target === undefined) {
    throw refused('GENLEDGER_NOTHING_TO_UNDO', 'no earlier generation to go back to', 'the profile has not switched yet');
  }
  if (!isReachable(generations, target)) {
    throw refused('GENLEDGER_UNDO_TARGET_DELETED', `undo would go back to generation ${target}, which was deleted`, `'genledger profile restore ${target}' rebuilds it as a new generation`);
  }
  return target;
}

/**
 * The generations `spec` deletes, ascending; only listed ones (generation 0
 * only once a rollback has made its link). `inUse`: generations besides the
 * current one that no spec deletes (the booted and the running system).
 */
export function generationsToDelete(
  generations: readonly GenerationSummary[],
  current: number | null,
  spec: GenerationSpec,
  nowSeconds: number,
  profileName: string,
  inUse: ReadonlySet<number> = new Set(),
): number[] {
  if (spec.kind === 'numbers') {
    const named = spec.numbers.find((number) => inUse.has(number) && number !== current);
    if (named !== undefined) {
      throw refused(
        'GENLEDGER_DELETE_GENERATION_IN_USE',
        `cannot delete generation ${named} of profile '${profileName}': it is booted or running`,
        "switch to another generation and reboot first, or use 'old', '+N' or --keep, which keep it",
      );
    }
  }
  return chosenForDeletion(byNumber(generations), current, spec, nowSeconds, profileName).filter((number) => !inUse.has(number));
}

function chosenForDeletion(ascending: readonly GenerationSummary[], current: number | null, spec: GenerationSpec, nowSeconds: number, profileName: string): number[] {
  switch (spec.kind) {
    case 'old':
      return numbersOf(ascending.filter((generation) => generation.number !== current));
    case 'numbers': {
      if (current !== null && spec.numbers.includes(current)) {
        throw refused(
          'GENLEDGER_DELETE_CURRENT_GENERATION',
          `cannot delete the current generation ${current} of profile '${profileName}'`,
          "switch to another generation first, or use 'old' or '+N', which always keep the current one",
        );
      }
      const wanted = new Set(spec.numbers);
      return numbersOf(ascending.filter((generation) => wanted.has(generation.number)));
    }
    case 'keep-last':
      return beyondLast(ascending, current, spec.count);
    case 'older-than':
      return olderThan(ascending, current, nowSeconds - spec.days * SECONDS_PER_DAY);
    case 'retain':
      return generationsNotRetained(ascending, spec, new Set(current === null ? [] : [current]), nowSeconds);
  }
}

/**
 * `+N`: generations newer than the current one are kept (they may be what
 * the user rolled back from); the current one and the N-1 below it are kept.
 * Like Nix, nothing goes when the current generation is not listed, which
 * also covers having rolled back to the empty generation 0.
 */
function beyondLast(ascending: readonly GenerationSummary[], current: number | null, count: number): number[] {
  if (current === null || !ascending.some((generation) => generation.number === current)) return [];
  const older = ascending.filter((generation) => generation.number < current);
  const keptBelowCurrent = count - 1;
  return numbersOf(older.slice(0, Math.max(older.length - keptBelowCurrent, 0)));
}

/**
 * `Nd`: the newest generation created before the cutoff was the active one
 * at that moment, so it is kept; lower-numbered ones go, except the current.
 * Nix asserts those are all older than the cutoff; mtimes set by hand can
 * break that, so each one is checked instead: nothing created at or after
 * the cutoff is ever deleted.
 */
function olderThan(ascending: readonly GenerationSummary[], current: number | null, cutoff: number): number[] {
  const activeAtCutoff = ascending.findLastIndex((generation) => generation.createdAt < cutoff);
  return numbersOf(
    ascending
      .slice(0, Math.max(activeAtCutoff, 0))
      .filter((generation) => generation.number !== current && generation.createdAt < cutoff),
  );
}

function isReachable(generations: readonly GenerationSummary[], n: number): boolean {
  return n === EMPTY_GENERATION || generations.some((generation) => generation.number === n);
}

function byNumber(generations: readonly GenerationSummary[]): GenerationSummary[] {
  return [...generations].sort((a, b) => a.number - b.number);
}

function numbersOf(generations: readonly GenerationSummary[]): number[] {
  return generations.map((generation) => generation.number);
}
