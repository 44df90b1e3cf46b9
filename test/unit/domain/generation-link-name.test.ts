import { describe, expect, it } from 'vitest';
import {
  makeGenerationLinkName,
  parseCurrentGeneration,
  parseGenerationLinkName,
} from '../../../src/domain/generation-link-name.js';

describe('generation link names', () => {
  it.each([0, 1, 7, 42, 4294967295, Number.MAX_SAFE_INTEGER])('parse(make(base, %d)) gives the number back', (n) => {
    expect(parseGenerationLinkName('profile', makeGenerationLinkName('profile', n))).toBe(n);
  });

  it('makes names of the exact form <base>-<N>-link', () => {
    expect(makeGenerationLinkName('system', 12)).toBe('system-12-link');
  });

  it.each([-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('refuses to make a name for %d', (n) => {
    expect(() => makeGenerationLinkName('profile', n)).toThrow(RangeError);
  });

  // Given a directory entry of profile `gp`, then the number nix-env 2.8 lists it as (checked with the real nix-env).
  it.each<[string, number | null]>([
    ['gp-3-link', 3],
    ['gp-0-link', 0],
    ['gp-05-link', 5],
    ['gp-000000000000000000009-link', 9],
    ['gp-+2-link', 2],
    ['gp-7-linkage-link', 7],
    ['gp-8-link.tmp-1', 8],
    ['gp-4294967295-link', 4294967295],
    ['gp--3-link', null],
    ['gp--link', null],
    ['gp-+-link', null],
    ['gp-++4-link', null],
    ['gp-+-3-link', null],
    ['gp- 3-link', null],
    ['gp-3 -link', null],
    ['gp-\t6-link', null],
    ['gp-4x-link', null],
    ['gp-0x5-link', null],
    ['gp-1e1-link', null],
    ['gp-3', null],
    ['gp', null],
    ['gpx-3-link', null],
    ['other-3-link', null],
  ])('entry %j parses as %s', (entry, expected) => {
    expect(parseGenerationLinkName('gp', entry)).toBe(expected);
  });

  it('accepts numbers up to 2^53-1, beyond the 32 bits of Nix 2.8, and nothing larger', () => {
    expect(parseGenerationLinkName('gp', 'gp-4294967296-link')).toBe(4294967296);
    expect(parseGenerationLinkName('gp', 'gp-9007199254740991-link')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseGenerationLinkName('gp', 'gp-9007199254740992-link')).toBeNull();
    expect(parseGenerationLinkName('gp', `gp-${'9'.repeat(40)}-link`)).toBeNull();
  });

  it('reads a profile base that itself contains -link', () => {
    expect(parseGenerationLinkName('my-link', 'my-link-3-link')).toBe(3);
  });
});

describe('current generation from the profile link text', () => {
  it.each<[string, number | null]>([
    ['gp-4-link', 4],
    ['gp-+4-link', 4],
    ['/tmp/x/gp-4-link', null],
    ['./gp-4-link', null],
    ['/nix/store/2wnhz6w3mjfx2fvvibsfz19kxxmww3qp-profile', null],
    ['other-4-link', null],
  ])('a link to %j means current generation %s', (target, expected) => {
    expect(parseCurrentGeneration('gp', target)).toBe(expected);
  });
});
