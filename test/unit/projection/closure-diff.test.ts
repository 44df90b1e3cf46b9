import { describe, expect, it } from 'vitest';
import { diffClosures } from '../../../src/projection/closure-diff.js';
import type { ClosureSide } from '../../../src/projection/closure-diff.js';

const store = '/nix/store';
const path = (hashChar: string, name: string) => `${store}/${hashChar.repeat(32)}-${name}`;

function side(direct: string[], transitive: string[], profilePath?: string): ClosureSide {
  const all = [...direct, ...transitive, ...(profilePath === undefined ? [] : [profilePath])];
  return { paths: all.map((p) => ({ path: p, narSize: 1000 })), direct, ...(profilePath === undefined ? {} : { profilePath }) };
}

describe('diffClosures', () => {
  const before = side([path('a', 'hello-1.0'), path('b', 'firefox-120.0'), path('c', 'jq-1.7')], [path('d', 'glibc-2.38'), path('e', 'openssl-3.0.1'), path('f', 'zlib-1.3')], path('p', 'profile'));
  const after = side([path('g', 'hello-1.1'), path('h', 'firefox-119.0'), path('i', 'ripgrep-14.0')], [path('j', 'glibc-2.39'), path('e', 'openssl-3.0.1'), path('k', 'libidn-2.3pre1')], path('q', 'profile'));
  const diff = diffClosures(before, after);

  it('sorts packages into added, removed, upgraded and downgraded by version, direct or transitive', () => {
    expect(diff.upgraded).toEqual([
      { name: 'glibc', from: ['2.38'], to: ['2.39'], direct: false },
      { name: 'hello', from: ['1.0'], to: ['1.1'], direct: true },
    ]);
    expect(diff.downgraded).toEqual([{ name: 'firefox', from: ['120.0'], to: ['119.0'], direct: true }]);
    expect(diff.added).toEqual([
      { name: 'libidn', from: [], to: ['2.3pre1'], direct: false },
      { name: 'ripgrep', from: [], to: ['14.0'], direct: true },
    ]);
    expect(diff.removed).toEqual([
      { name: 'jq', from: ['1.7'], to: [], direct: true },
      { name: 'zlib', from: ['1.3'], to: [], direct: false },
    ]);
    expect(diff.changed).toEqual([]);
  });

  it('leaves out unchanged packages and the user environments themselves, but counts their size', () => {
    const names = [...diff.added, ...diff.removed, ...diff.upgraded, ...diff.downgraded].map((c) => c.name);
    expect(names).not.toContain('openssl');
    expect(names).not.toContain('profile');
    expect(diff.size).toEqual({ from: 7000, to: 7000, delta: 0, exact: true });
  });

  it('ranks several versions of one name by the highest, and calls equal highest versions changed', () => {
    const two = diffClosures(side([], [path('a', 'python-3.10'), path('b', 'python-3.11')]), side([], [path('c', 'python-3.11'), path('d', 'python-3.9')]));
    expect(two.changed).toEqual([{ name: 'python', from: ['3.10', '3.11'], to: ['3.11', '3.9'], direct: false }]);
    const up = diffClosures(side([], [path('a', 'python-3.10'), path('b', 'python-3.11')]), side([], [path('c', 'python-3.12')]));
    expect(up.upgraded.map((c) => c.name)).toEqual(['python']);
  });

  it('ignores a rebuild with the same version and says when a size is unknown', () => {
    const rebuilt = diffClosures(side([path('a', 'hello-1.0')], []), { paths: [{ path: path('b', 'hello-1.0'), narSize: null }], direct: [path('b', 'hello-1.0')] });
    expect(rebuilt.upgraded).toEqual([]);
    expect(rebuilt.changed).toEqual([]);
    expect(rebuilt.size).toEqual({ from: 1000, to: 0, delta: -1000, exact: false });
  });

  it('diffs from an empty generation', () => {
    const fresh = diffClosures({ paths: [], direct: [] }, side([path('a', 'hello-1.0')], [path('b', 'glibc-2.39')]));
    expect(fresh.added).toEqual([
      { name: 'glibc', from: [], to: ['2.39'], direct: false },
      { name: 'hello', from: [], to: ['1.0'], direct: true },
    ]);
    expect(fresh.size.delta).toBe(2000);
  });
});
