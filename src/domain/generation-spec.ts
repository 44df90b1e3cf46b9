/**
 * The arguments of `delete-generations` (and `wipe-history --older-than`),
 * parsed once into a value the deletion rules interpret. Dispatch follows
 * `nix-env --delete-generations` in 2.8: `old`, `Nd` and `+N` are each a
 * whole argument list on their own; anything longer is a list of numbers.
 *
 * Numbers are plain ASCII digits, at most 15 of them, so every accepted
 * value (and every `Nd` span in seconds) is an exact JavaScript integer.
 * A list starting with `--keep` or `--keep-since` is a retention policy
 * (`retention-policy.ts`), as the CLI records its options.
 * genledger is stricter than 2.8 about text nobody means: `+2` inside a
 * number list, `+1d` or a spec without the `d` are rejected, not guessed at.
 */
import { usageError } from '../errors.js';
import type { GenledgerError } from '../errors.js';
import { isRetentionArgs, parseRetention } from './retention-policy.js';
import type { RetentionSpec } from './retention-policy.js';

export type GenerationSpec =
  | { readonly kind: 'old' }
  | { readonly kind: 'numbers'; readonly numbers: readonly number[] }
  | { readonly kind: 'keep-last'; readonly count: number }
  | OlderThanSpec
  | RetentionSpec;

export interface OlderThanSpec {
  readonly kind: 'older-than';
  readonly days: number;
}

export const SECONDS_PER_DAY = 86_400;

const DECIMAL = /^[0-9]{1,15}$/;
const ACCEPTED_FORMS =
  "give 'old', generation numbers N..., '+N' (keep the last N) or 'Nd' (older than N days), N >= 1; " +
  "'old', '+N' and 'Nd' stand alone";

export function parseDeletionSpecs(args: readonly string[]): GenerationSpec {
  const [only, ...more] = args;
  if (only === undefined) throw badSpec('no generations to delete were given');
  if (isRetentionArgs(args)) return parseRetention(args);
  if (more.length === 0) {
    if (only === 'old') return { kind: 'old' };
    if (only.includes('d')) return parseOlderThan(only);
    if (only.startsWith('+')) return parseKeepLast(only);
  }
  const numbers = args.map(parseNumberArgument);
  return { kind: 'numbers', numbers: [...new Set(numbers)].sort((a, b) => a - b) };
}

/** `Nd`: digits, then `d`, N >= 1. */
export function parseOlderThan(text: string): OlderThanSpec {
  const days = text.endsWith('d') ? parseDecimal(text.slice(0, -1)) : null;
  if (days === null || days < 1 || !Number.isSafeInteger(days * SECONDS_PER_DAY)) {
    throw badSpec(`invalid number of days specifier '${text}'`);
  }
  return { kind: 'older-than', days };
}

function parseKeepLast(text: string): GenerationSpec {
  const count = parseDecimal(text.slice(1));
  if (count === null || count < 1) throw badSpec(`invalid number of generations to keep '${text}'`);
  return { kind: 'keep-last', count };
}

function parseNumberArgument(arg: string): number {
  const n = parseDecimal(arg);
  if (n === null) throw badSpec(`invalid generation number '${arg}'`);
  return n;
}

function parseDecimal(text: string): number | null {
  return DECIMAL.test(text) ? Number(text) : null;
}

function badSpec(message: string): GenledgerError {
  return usageError('GENLEDGER_BAD_GENERATION_SPEC', message, ACCEPTED_FORMS);
}
