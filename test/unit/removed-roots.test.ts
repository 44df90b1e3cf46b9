import { describe, expect, it } from 'vitest';
import { freedByRemovingRoots } from '../../src/projection/removed-roots.js';

const graph = new Map([
  ['/s/a', { references: ['/s/shared', '/s/a'], narSize: 10 }],
  ['/s/b', { references: ['/s/shared'], narSize: 20 }],
  ['/s/c', { references: ['/s/lib'], narSize: 30 }],
  ['/s/shared', { references: ['/s/lib'], narSize: 100 }],
  ['/s/lib', { references: [], narSize: 1000 }],
]);
const roots = [
  { link: '/p/x-1-link', storePath: '/s/a' },
  { link: '/p/x-2-link', storePath: '/s/b' },
  { link: '/p/x-3-link', storePath: '/s/c' },
];

describe('freedByRemovingRoots', () => {
  it('frees what the removed roots share and no remaining root reaches, which no single root keeps alone', () => {
    expect(freedByRemovingRoots(roots, new Set(['/p/x-1-link', '/p/x-2-link']), graph)).toEqual([
      { path: '/s/a', narSize: 10 },
      { path: '/s/b', narSize: 20 },
      { path: '/s/shared', narSize: 100 },
    ]);
  });

  it('frees nothing that another link on the same store path still keeps', () => {
    const twice = [...roots, { link: '/gcroots/result', storePath: '/s/a' }];
    expect(freedByRemovingRoots(twice, new Set(['/p/x-1-link']), graph)).toEqual([]);
  });

  it('frees the whole closure when every root is removed, and nothing when none is', () => {
    const all = new Set(roots.map((root) => root.link));
    expect(freedByRemovingRoots(roots, all, graph).map((freed) => freed.path)).toEqual(['/s/a', '/s/b', '/s/c', '/s/lib', '/s/shared']);
    expect(freedByRemovingRoots(roots, new Set(), graph)).toEqual([]);
    expect(freedByRemovingRoots(roots, new Set(['/p/not-a-root']), graph)).toEqual([]);
  });

  it('counts a path the graph does not know as empty', () => {
    expect(freedByRemovingRoots([{ link: '/r/x', storePath: '/s/gone' }], new Set(['/r/x']), graph)).toEqual([{ path: '/s/gone', narSize: 0 }]);
  });
});
