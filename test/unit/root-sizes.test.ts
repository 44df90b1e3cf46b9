import { describe, expect, it } from 'vitest';
import { rootSizes } from '../../src/projection/root-sizes.js';

const graph = new Map([
  ['/s/a', { references: ['/s/lib', '/s/a'], narSize: 10 }],
  ['/s/b', { references: ['/s/lib'], narSize: 20 }],
  ['/s/lib', { references: [], narSize: 100 }],
]);

describe('rootSizes', () => {
  it('sums the closure once per path (self-references included) and keeps for each root only what no other root reaches', () => {
    expect(rootSizes([{ link: '/r/1', storePath: '/s/a' }, { link: '/r/2', storePath: '/s/b' }], graph)).toEqual([
      { link: '/r/1', storePath: '/s/a', closureSize: 110, exclusiveSize: 10 },
      { link: '/r/2', storePath: '/s/b', closureSize: 120, exclusiveSize: 20 },
    ]);
  });

  it('gives two links on the same path nothing alone, and counts a root reported twice once', () => {
    const roots = [{ link: '/r/1', storePath: '/s/a' }, { link: '/r/1', storePath: '/s/a' }, { link: '/r/2', storePath: '/s/a' }];
    expect(rootSizes(roots, graph).map((root) => [root.link, root.exclusiveSize])).toEqual([['/r/1', 0], ['/r/2', 0]]);
    expect(rootSizes([{ link: '/r/1', storePath: '/s/a' }, { link: '/r/1', storePath: '/s/a' }], graph)[0]?.exclusiveSize).toBe(110);
  });

  it('counts a path the graph does not know as empty', () => {
    expect(rootSizes([{ link: '/r/x', storePath: '/s/gone' }], graph)).toEqual([{ link: '/r/x', storePath: '/s/gone', closureSize: 0, exclusiveSize: 0 }]);
  });
});
