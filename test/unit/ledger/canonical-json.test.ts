import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonProblem, canonicalObject } from '../../../src/ledger/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    const value = { b: 1, a: { d: [3, { z: true, y: 'two' }], c: null } };
    expect(canonicalJson(value)).toBe('{"a":{"c":null,"d":[3,{"y":"two","z":true}]},"b":1}');
  });

  it('orders keys by UTF-16 code units, not by locale', () => {
    const value = { b: 0, a: 0, B: 0, _: 0, 'é': 0, '😀': 0, '\uffff': 0 };
    expect(Object.keys(JSON.parse(canonicalJson(value)) as object)).toEqual(['B', '_', 'a', 'b', 'é', '😀', '\uffff']);
  });

  it('omits object fields that are undefined', () => {
    expect(canonicalJson({ a: undefined, b: { c: undefined, d: 1 } })).toBe('{"b":{"d":1}}');
  });

  it('escapes strings exactly as JSON.stringify does', () => {
    const text = 'quote " backslash \\ newline \n tab \t nul \u0000 line-separator \u2028';
    expect(canonicalJson({ text })).toBe(`{"text":${JSON.stringify(text)}}`);
  });

  it.each([
    ['NaN', { n: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['a bigint', { n: 1n }],
    ['undefined inside an array', [1, undefined]],
    ['a Date', { at: new Date(0) }],
    ['a function', { f: () => 1 }],
    ['a Map', { m: new Map() }],
  ])('refuses %s rather than changing it silently', (_, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it.each([
    ['NaN', { n: Number.NaN }],
    ['Infinity deep down', { a: [{ b: Number.NEGATIVE_INFINITY }] }],
    ['a bigint', { n: 1n }],
    ['undefined inside an array', [1, undefined]],
    ['a hole in an array', [1, , 3]],
    ['a Date', { at: new Date(0) }],
    ['a symbol', { s: Symbol('s') }],
    ['undefined itself', undefined],
  ])('names the problem with %s exactly as the encoder would', (_, value) => {
    const thrown = (() => {
      try {
        canonicalJson(value);
      } catch (error) {
        return (error as Error).message;
      }
      return null;
    })();
    expect(thrown).not.toBeNull();
    expect(canonicalJsonProblem(value)).toBe(thrown);
  });

  it('finds no problem in what it can encode', () => {
    const random = mulberry32(0xc0de);
    for (let round = 0; round < 100; round++) expect(canonicalJsonProblem(randomJson(random, 4))).toBeNull();
    expect(canonicalJsonProblem({ skipped: undefined, nested: { alsoSkipped: undefined } })).toBeNull();
  });

  it('assembles an object from encoded fields into the bytes of encoding the object (seeded random values)', () => {
    const random = mulberry32(0xf1e1d);
    for (let round = 0; round < 200; round++) {
      // Integer-like keys too: objects list them first, canonical JSON sorts them as text.
      const value = { absent: undefined, ...Object.fromEntries(['10', '9', 'b', 'a', '_'].map((key) => [key, randomJson(random, 3)])) };
      const encoded = Object.fromEntries(Object.entries(value).map(([key, field]) => [key, field === undefined ? undefined : canonicalJson(field)]));
      expect(canonicalObject(encoded)).toBe(canonicalJson(value));
    }
  });

  it('is a fixed point under parsing and ignores the order keys were inserted in (seeded random values)', () => {
    const random = mulberry32(0x5eed);
    for (let round = 0; round < 300; round++) {
      const value = randomJson(random, 4);
      const text = canonicalJson(value);
      expect(canonicalJson(JSON.parse(text))).toBe(text);
      expect(canonicalJson(reverseKeys(value))).toBe(text);
    }
  });
});

function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomJson(random: () => number, depth: number): unknown {
  const pick = Math.floor(random() * (depth > 0 ? 7 : 5));
  const text = () => String.fromCharCode(...Array.from({ length: Math.floor(random() * 6) }, () => 32 + Math.floor(random() * 0x2000)));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return Math.round((random() - 0.5) * 1e6) / (random() < 0.5 ? 1 : 1000);
    case 3:
      return text();
    case 4:
      return -0;
    case 5:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomJson(random, depth - 1));
    default:
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [text(), randomJson(random, depth - 1)]));
  }
}

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, field]) => [key, reverseKeys(field)]));
}
