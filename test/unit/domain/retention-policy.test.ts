import { describe, expect, it } from 'vitest';
import { generationsNotRetained, parseDuration, parseRetention, retentionArgs } from '../../../src/domain/retention-policy.js';
import { parseDeletionSpecs } from '../../../src/domain/generation-spec.js';
import { generationsToDelete } from '../../../src/domain/generation-rules.js';
import { isGenledgerError } from '../../../src/errors.js';

const DAY = 86_400;
const NOW = 100 * DAY;
/** Generations 1..6, created 10, 8, 6, 4, 2 and 0.5 days ago. */
const generations = [10, 8, 6, 4, 2, 0.5].map((daysAgo, index) => ({ number: index + 1, createdAt: NOW - daysAgo * DAY, storePath: `/s/${index + 1}` }));

function usage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isGenledgerError(error) && error.exitCode === 2) return error.code;
    throw error;
  }
  throw new Error('accepted');
}

describe('retention policies (nh clean semantics)', () => {
  it('parses durations in seconds, minutes, hours, days and weeks', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('30m')).toBe(1800);
    expect(parseDuration('12h')).toBe(12 * 3600);
    expect(parseDuration('7d')).toBe(7 * DAY);
    expect(parseDuration('2w')).toBe(14 * DAY);
    for (const text of ['', '7', 'd', '0d', '-1d', '1.5d', '7D', '7 d', '1d2h', '7y']) expect(usage(() => parseDuration(text))).toBe('GENLEDGER_BAD_GENERATION_SPEC');
  });

  it('parses the recorded argument list in either order, and refuses repeats, strays and empty policies', () => {
    expect(parseRetention(['--keep', '3'])).toEqual({ kind: 'retain', keep: 3, keepSinceSeconds: null });
    expect(parseRetention(['--keep-since', '2w', '--keep', '0'])).toEqual({ kind: 'retain', keep: 0, keepSinceSeconds: 14 * DAY });
    expect(parseDeletionSpecs(retentionArgs('2', '7d'))).toEqual({ kind: 'retain', keep: 2, keepSinceSeconds: 7 * DAY });
    for (const args of [[], ['--keep'], ['--keep', '1', '--keep', '2'], ['--keep', 'x'], ['--keep', '1', 'old']]) expect(usage(() => parseRetention(args))).toBe('GENLEDGER_BAD_GENERATION_SPEC');
  });

  it('keeps the union of the newest N and those newer than the duration', () => {
    const policy = (keep: number | null, days: number | null) => ({ kind: 'retain' as const, keep, keepSinceSeconds: days === null ? null : days * DAY });
    expect(generationsNotRetained(generations, policy(2, null), new Set(), NOW)).toEqual([1, 2, 3, 4]);
    expect(generationsNotRetained(generations, policy(null, 5), new Set(), NOW)).toEqual([1, 2, 3]);
    // Newest 1 keeps 6; within 7 days keeps 3..6: the union keeps 3..6.
    expect(generationsNotRetained(generations, policy(1, 7), new Set(), NOW)).toEqual([1, 2]);
    // Newest 4 keeps 3..6; within 1 day keeps 6: the union keeps 3..6, more than either alone.
    expect(generationsNotRetained(generations, policy(4, 1), new Set(), NOW)).toEqual([1, 2]);
    expect(generationsNotRetained(generations, policy(0, null), new Set(), NOW)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('never deletes a protected generation (current, booted, running), whatever the policy', () => {
    expect(generationsNotRetained(generations, { kind: 'retain', keep: 1, keepSinceSeconds: null }, new Set([2, 4]), NOW)).toEqual([1, 3, 5]);
    expect(generationsToDelete(generations, 2, { kind: 'retain', keep: 0, keepSinceSeconds: null }, NOW, 'p')).toEqual([1, 3, 4, 5, 6]);
    expect(generationsToDelete(generations, null, { kind: 'retain', keep: 2, keepSinceSeconds: DAY }, NOW, 'p')).toEqual([1, 2, 3, 4]);
  });
});
