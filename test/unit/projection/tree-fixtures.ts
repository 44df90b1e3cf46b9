/**
 * Inline NAR trees for projection tests: builders for directories, files and
 * symlinks, an outline of a tree that reads well in assertions, and the
 * packages of spec vector 13.5 (P1 pkga-1.0, P2 pkgb-2.0, P3 pkgc-3.0).
 */

import type { NarDirectory, NarNode, NarRegular, NarSymlink } from '../../../src/store/nar-node.js';
import { compareUtf8 } from '../../../src/store/nar-tree.js';

export function dir(entries: Readonly<Record<string, NarNode>> = {}): NarDirectory {
  return { type: 'directory', entries: new Map(Object.entries(entries)) };
}

export function file(text = '', executable = false): NarRegular {
  return { type: 'regular', executable, contents: new TextEncoder().encode(text) };
}

export function link(target: string): NarSymlink {
  return { type: 'symlink', target };
}

export type Outline = string | { readonly [name: string]: Outline };

/** Directories as objects, symlinks as `-> target`, files as `file` / `executable`. */
export function outline(node: NarNode): Outline {
  switch (node.type) {
    case 'symlink':
      return `-> ${node.target}`;
    case 'regular':
      return node.executable ? 'executable' : 'file';
    case 'directory':
      return Object.fromEntries(
        [...node.entries].sort(([a], [b]) => compareUtf8(a, b)).map(([name, child]) => [name, outline(child)]),
      );
  }
}

/** A store path name in the shape every test package uses: a fixed-looking hash part and a name. */
export function storePath(name: string, hashLetter = 'a'): string {
  return `/nix/store/${hashLetter.repeat(32)}-${name}`;
}

export const P1 = '/nix/store/vakjq8iw060mbdsy1y8x2ml3l3wx64gr-pkga-1.0';
export const P2 = '/nix/store/l5y46b8p9il518p7jhl4nnsh86xlry98-pkgb-2.0';
export const P3 = '/nix/store/dx29696sg06lkgqvrj34jmm69pz1i5bj-pkgc-3.0';

export const vectorPackages: Readonly<Record<string, NarNode>> = {
  [P1]: dir({
    bin: dir({ a: file('#!/bin/sh\necho a\n', true) }),
    share: dir({ doc: dir({ pkga: dir({ README: file('pkg a\n') }) }) }),
  }),
  [P2]: dir({
    bin: dir({ b: file('#!/bin/sh\necho b\n', true) }),
    share: dir({ doc: dir({ pkgb: dir({ README: file('pkg b\n') }) }) }),
  }),
  [P3]: dir({ bin: dir({ a: file('#!/bin/sh\necho c\n', true) }) }),
};
