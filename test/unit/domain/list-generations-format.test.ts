import { describe, expect, it } from 'vitest';
import { formatHistoryHeader, formatListGenerations } from '../../../src/domain/list-generations-format.js';
import type { LocalTime } from '../../../src/domain/list-generations-format.js';

/** 2026-11-23 14:21:14 UTC, the time in the spec's verified example line. */
const T = Date.UTC(2026, 10, 23, 14, 21, 14) / 1000;

const utc = (epochSeconds: number): LocalTime => {
  const d = new Date(epochSeconds * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
};

describe('nix-env --list-generations lines', () => {
  it('prints the verified line for the current generation', () => {
    expect(formatListGenerations([{ number: 4, createdAt: T }], 4, utc)).toBe('   4   2026-11-23 14:21:14   (current)\n');
  });

  it('ends non-current lines in three spaces and lists by number', () => {
    const text = formatListGenerations(
      [
        { number: 2, createdAt: T + 60 },
        { number: 1, createdAt: T },
      ],
      2,
      utc,
    );
    expect(text).toBe('   1   2026-11-23 14:21:14   \n   2   2026-11-23 14:22:14   (current)\n');
  });

  it('zero-pads the date and time fields', () => {
    const early = Date.UTC(2026, 0, 2, 3, 4, 5) / 1000;
    expect(formatListGenerations([{ number: 7, createdAt: early }], null, utc)).toBe('   7   2026-01-02 03:04:05   \n');
  });

  it('widens, never truncates, numbers longer than four digits', () => {
    expect(formatListGenerations([{ number: 4294967295, createdAt: T }], null, utc)).toBe(
      '4294967295   2026-11-23 14:21:14   \n',
    );
  });

  it('uses the local time it is given, not UTC', () => {
    const twoHoursAhead = (epochSeconds: number) => utc(epochSeconds + 7200);
    expect(formatListGenerations([{ number: 1, createdAt: T }], 1, twoHoursAhead)).toBe(
      '   1   2026-11-23 16:21:14   (current)\n',
    );
  });

  it('prints nothing for a profile without generations', () => {
    expect(formatListGenerations([], null, utc)).toBe('');
  });
});

describe('nix profile history headers', () => {
  it.each<[number, number | null, boolean, string]>([
    [1, null, false, 'Version \u001b[1m1\u001b[0m (2026-11-23):'],
    [2, 1, true, 'Version \u001b[32;1m2\u001b[0m (2026-11-23) <- 1:'],
  ])('version %d after %s (current: %s) colours like Nix 2.8 printed it', (n, prev, isCurrent, expected) => {
    expect(formatHistoryHeader(n, prev, isCurrent, T, true)).toBe(expected);
  });

  it('drops the escape codes without colour', () => {
    expect(formatHistoryHeader(6, 4, true, T, false)).toBe('Version 6 (2026-11-23) <- 4:');
  });

  it('dates the version in UTC', () => {
    const lateUtc = Date.UTC(2026, 11, 31, 23, 59, 59) / 1000;
    expect(formatHistoryHeader(3, null, false, lateUtc, false)).toBe('Version 3 (2026-12-31):');
    expect(formatHistoryHeader(3, null, false, lateUtc + 1, false)).toBe('Version 3 (2027-01-01):');
  });
});
