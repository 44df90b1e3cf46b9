import jsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../../src/domain/deep-freeze.js';
import { applyPatchFrozen } from '../../../src/domain/frozen-patch.js';
import { seededRandom } from '../store/helpers.js';

const { applyPatch, compare, deepClone } = jsonPatch;

function everyObjectFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(everyObjectFrozen);
}

/** A manifest-like document: elements with names, priorities and store paths, some nested deeper. */
function randomManifest(random: () => number): unknown {
  const elements = Array.from({ length: Math.floor(random() * 5) }, (_, index) => ({
    name: `pkg${index}`,
    active: random() < 0.8,
    priority: Math.floor(random() * 10),
    storePaths: Array.from({ length: 1 + Math.floor(random() * 2) }, (_, n) => `/nix/store/${String(n).repeat(32)}-pkg${index}`),
    ...(random() < 0.5 ? { source: { originalUrl: `path:/c${index}`, url: `path:/c${index}?narHash=x`, attrPath: `a${index}` } } : {}),
  }));
  return { elements, version: 2 };
}

describe('applyPatchFrozen', () => {
  it('gives what fast-json-patch gives on a copy, over 500 seeded pairs of manifests, leaving the base as it was', () => {
    const random = seededRandom(5);
    for (let round = 0; round < 500; round++) {
      const base = deepFreeze(randomManifest(random));
      const target = randomManifest(random);
      const patch = compare(base as object, target as object);
      const before = JSON.stringify(base);
      const result = applyPatchFrozen(base, patch);
      expect(result).toEqual(applyPatch(deepClone(base), deepClone(patch)).newDocument);
      expect(result).toEqual(target);
      expect(JSON.stringify(base)).toBe(before);
      expect(everyObjectFrozen(result)).toBe(true);
    }
  });

  it('shares what the patch does not reach with the base, and never the patch\'s own values', () => {
    const base = deepFreeze({ elements: [{ name: 'a', storePaths: ['/a'] }, { name: 'b', storePaths: ['/b'] }], version: 2 });
    const value = { name: 'c', storePaths: ['/c'] };
    const patch: Operation[] = [{ op: 'add', path: '/elements/2', value }];
    const result = applyPatchFrozen(base, patch);
    expect(result.elements[0]).toBe(base.elements[0]);
    expect(result.elements[1]).toBe(base.elements[1]);
    expect(result.elements[2]).toEqual(value);
    expect(result.elements[2]).not.toBe(value);
    expect(Object.isFrozen(value)).toBe(false);
  });

  it('applies move, copy, test and a replacement of the whole document as RFC 6902 says', () => {
    const base = deepFreeze({ a: { x: [1, 2] }, b: { y: 'z' } });
    const ops: Operation[] = [
      { op: 'test', path: '/b/y', value: 'z' },
      { op: 'move', from: '/a/x/0', path: '/b/first' },
      { op: 'copy', from: '/b', path: '/c' },
      { op: 'replace', path: '/a/x/0', value: 9 },
    ];
    expect(applyPatchFrozen(base, ops)).toEqual({ a: { x: [9] }, b: { y: 'z', first: 1 }, c: { y: 'z', first: 1 } });
    expect(base).toEqual({ a: { x: [1, 2] }, b: { y: 'z' } });
    expect(applyPatchFrozen(base, [{ op: 'replace', path: '', value: { whole: true } }])).toEqual({ whole: true });
  });

  it('reads pointers with escaped segments', () => {
    const base = deepFreeze({ 'a/b': { '~c': 1 } });
    expect(applyPatchFrozen(base, [{ op: 'replace', path: '/a~1b/~0c', value: 2 }])).toEqual({ 'a/b': { '~c': 2 } });
  });
});
