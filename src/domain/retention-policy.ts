/**
 * Retention, as nh's `clean` keeps generations: `--keep N` keeps the
 * newest N (by number), `--keep-since DURATION` keeps every generation
 * created within DURATION of now, and what is kept is the union of both.
 * The current generation, and any generation the caller protects (the
 * booted and the running system), are never deleted, whatever the policy.
 *
 * The policy travels as the argument list the user gave
 * (`--keep 3 --keep-since 7d`), so the GenerationsDeleted event records
 * it verbatim next to the numbers it deleted. Durations are a whole number
 * and one unit: s, m, h, d or w (`12h`, `7d`, `2w`).
 */
import { usageError } from '../errors.js';
import type { GenledgerError } from '../errors.js';

export interface RetentionSpec {
  readonly kind: 'retain';
  /** Keep the newest this many generations; null: not asked. */
  readonly keep: number | null;
  /** Keep generations created within this many seconds; null: not asked. */
  readonly keepSinceSeconds: number | null;
}

export interface RetainedGeneration {
  readonly number: number;
  /** Epoch seconds. */
  readonly createdAt: number;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const FORMS = 'give --keep N (N >= 0) and/or --keep-since DURATION, a whole number with s, m, h, d or w (7d, 12h, 2w)';

export function isRetentionArgs(args: readonly string[]): boolean {
  return args[0] === '--keep' || args[0] === '--keep-since';
}

/** The retention arguments as they were given, in any order, each at most once. */
export function retentionArgs(keep: string | undefined, keepSince: string | undefined): string[] {
  return [...(keep === undefined ? [] : ['--keep', keep]), ...(keepSince === undefined ? [] : ['--keep-since', keepSince])];
}

export function parseRetention(args: readonly string[]): RetentionSpec {
  let keep: number | null = null;
  let keepSinceSeconds: number | null = null;
  for (let index = 0; index < args.length; index += 2) {
    const [option, value] = [args[index], args[index + 1]];
    if (value === undefined) throw badRetention(`${option ?? 'an option'} needs a value`);
    if (option === '--keep' && keep === null) keep = parseCount(value);
    else if (option === '--keep-since' && keepSinceSeconds === null) keepSinceSeconds = parseDuration(value);
    else throw badRetention(`unexpected '${option}' in a retention policy`);
  }
  if (keep === null && keepSinceSeconds === null) throw badRetention('no retention policy was given');
  return { kind: 'retain', keep, keepSinceSeconds };
}

/** `7d`, `12h`, `2w`, `30m`, `90s`: seconds. */
export function parseDuration(text: string): number {
  const match = /^([0-9]{1,9})([smhdw])$/.exec(text);
  const seconds = match === null ? NaN : Number(match[1]) * (UNIT_SECONDS[match[2] ?? ''] ?? NaN);
  if (!Number.isSafeInteger(seconds) || seconds < 1) throw badRetention(`invalid duration '${text}'`);
  return seconds;
}

/** The generations the policy deletes, ascending. */
export function generationsNotRetained(
  generations: readonly RetainedGeneration[],
  policy: RetentionSpec,
  protectedNumbers: ReadonlySet<number>,
  nowSeconds: number,
): number[] {
  const newestFirst = [...generations].sort((a, b) => b.number - a.number);
  const newest = new Set(newestFirst.slice(0, policy.keep ?? 0).map((generation) => generation.number));
  const cutoff = policy.keepSinceSeconds === null ? Infinity : nowSeconds - policy.keepSinceSeconds;
  return newestFirst
    .filter((generation) => !newest.has(generation.number) && generation.createdAt < cutoff && !protectedNumbers.has(generation.number))
    .map((generation) => generation.number)
    .reverse();
}

function parseCount(text: string): number {
  if (!/^[0-9]{1,9}$/.test(text)) throw badRetention(`invalid number of generations to keep '${text}'`);
  return Number(text);
}

function badRetention(message: string): GenledgerError {
  return usageError('GENLEDGER_BAD_GENERATION_SPEC', message, FORMS);
}
