import { describe, expect, it } from 'vitest';
import type { ManifestElement } from '../../../src/projection/manifest-json.js';
import { diffManifests, historyDiffLines } from '../../../src/projection/profile-diff.js';
import { P1, P2, P3, storePath } from './tree-fixtures.js';

const element = (name: string, storePaths: string[], extra: Partial<ManifestElement> = {}): ManifestElement => ({
  name,
  active: true,
  priority: 5,
  storePaths,
  ...extra,
});

const pkga = element('pkga', [P1]);
const pkgb = element('pkgb', [P2]);
const pkgc = element('pkgc', [P3]);
const pkga11 = element('pkga', [storePath('pkga-1.1', 'b')]);
const helloSource = { originalUrl: 'flake:nixpkgs', url: 'github:NixOS/nixpkgs/abc', attrPath: 'packages.x86_64-linux.hello' };
const hello = element('hello', [storePath('hello-2.12', 'c')], { source: helloSource });

describe('historyDiffLines (nix profile history, 2.8)', () => {
  it.each([
    { given: 'the first generation', before: [], after: [pkga, pkgb], lines: ['  pkga: ∅ -> 1.0', '  pkgb: ∅ -> 2.0'] },
    { given: 'a removal', before: [pkga, pkgb], after: [pkgb], lines: ['  pkga: 1.0 -> ∅'] },
    { given: 'an upgrade', before: [pkga, pkgb], after: [pkgb, pkga11], lines: ['  pkga: 1.0 -> 1.1'] },
    { given: 'no change in versions', before: [pkga], after: [{ ...pkga, priority: 3, name: 'other' }], lines: ['  No changes.'] },
    { given: 'two empty manifests', before: [], after: [], lines: ['  No changes.'] },
    {
      given: 'a flake element, described by reference and attribute path',
      before: [pkgc],
      after: [pkgc, hello],
      lines: ['  flake:nixpkgs#packages.x86_64-linux.hello: ∅ -> 2.12'],
    },
    {
      given: 'an element of several packages and an unversioned one',
      before: [],
      after: [element('x', [P1, P2, storePath('pkga-1.0', 'z')]), element('y', [storePath('tool', 'd'), storePath('tool-1', 'f')])],
      lines: ['  pkga, pkgb: ∅ -> 1.0, 2.0', '  tool: ∅ -> 1, ε'],
    },
    { given: 'an element with no store paths', before: [element('e', [])], after: [], lines: ['  : ∅ -> ∅'] },
  ])('describes $given', ({ before, after, lines }) => {
    expect(historyDiffLines(before, after)).toEqual(lines);
  });

  it('pairs elements with the same description in store path order, hash first, as Nix does', () => {
    const twice = [pkga, element('pkga-1', [storePath('pkga-2.0', 'b')])];
    expect(historyDiffLines(twice, [pkga])).toEqual(['  pkga: 2.0 -> 1.0', '  pkga: 1.0 -> ∅']);
  });
});

describe('diffManifests', () => {
  it('reports added, removed and changed elements by name, each in byte order of names', () => {
    const before = [pkgb, pkga, pkgc];
    const after = [pkgc, element('zed', [P1]), element('abc', [P2]), pkga11, { ...pkgb, priority: 3 }];
    expect(diffManifests(before, after)).toEqual({
      added: [after[2], after[1]],
      removed: [],
      changed: [
        { name: 'pkga', from: pkga, to: pkga11 },
        { name: 'pkgb', from: pkgb, to: { ...pkgb, priority: 3 } },
      ],
    });
  });

  it.each([
    { given: 'the active flag', to: { ...pkga, active: false } },
    { given: 'the source', to: { ...pkga, source: { originalUrl: 'a', url: 'b', attrPath: 'c' } } },
    { given: 'the outputs', from: { ...hello }, to: { ...hello, source: { ...helloSource, outputs: ['out'] } } },
  ])('counts a change of $given', ({ from = pkga, to }) => {
    expect(diffManifests([from], [to]).changed).toEqual([{ name: from.name, from, to }]);
  });

  it('ignores the order and repetition of store paths', () => {
    const paths = element('x', [P1, P2]);
    expect(diffManifests([paths], [{ ...paths, storePaths: [P2, P1, P2] }])).toEqual({ added: [], removed: [], changed: [] });
  });

  it('reports removals', () => {
    expect(diffManifests([pkga, pkgb], [pkgb])).toEqual({ added: [], removed: [pkga], changed: [] });
  });
});
