import { describe, expect, it } from 'vitest';
import { compareVersions } from '../../../src/projection/version-compare.js';

/** -1, 0 or 1, never -0, like builtins.compareVersions. */
const sign = (n: number) => (n > 0 ? 1 : n < 0 ? -1 : 0);

describe('compareVersions', () => {
  // Nix 2.8 tests/lang/eval-okay-versions.nix, both ways round
  it.each([
    ['1.0', '2.3', -1],
    ['2.1', '2.3', -1],
    ['2.3', '2.3', 0],
    ['2.5', '2.3', 1],
    ['3.1', '2.3', 1],
    ['2.3.1', '2.3', 1],
    ['2.3.1', '2.3a', 1],
    ['2.3pre1', '2.3', -1],
    ['2.3pre3', '2.3pre12', -1],
    ['2.3a', '2.3c', -1],
    ['2.3pre1', '2.3c', -1],
    ['2.3pre1', '2.3q', -1],
  ] as const)('compares %s with %s as %i', (a, b, expected) => {
    expect(sign(compareVersions(a, b))).toBe(expected);
    expect(sign(compareVersions(b, a))).toBe(0 - expected);
  });

  it('treats dots and dashes alike and skips runs of them', () => {
    expect(compareVersions('1.2-3', '1-2.3')).toBe(0);
    expect(compareVersions('1..2', '1.2')).toBe(0);
  });

  it('compares numbers as numbers, and one too big for an int as a word, as string2Int<int> does', () => {
    expect(sign(compareVersions('1.10', '1.9'))).toBe(1);
    expect(sign(compareVersions('007', '7'))).toBe(0);
    expect(sign(compareVersions('99999999999', '1'))).toBe(-1);
  });

  it('puts an empty version before any number and words in byte order', () => {
    expect(sign(compareVersions('', '0'))).toBe(-1);
    expect(sign(compareVersions('1.0-rc', '1.0-beta'))).toBe(1);
  });
});
