import { describe, expect, it } from 'vitest';
import { elementName, nameFromReference, uniqueElementName } from '../../../src/projection/element-name.js';
import { P1, P2, storePath } from './tree-fixtures.js';

describe('nameFromReference (getNameFromURL)', () => {
  it.each([
    { reference: 'path:/tmp/demo/flk#packages.x86_64-linux.greet', name: 'greet' },
    { reference: 'catalog:/srv/catalog.json#hello', name: 'hello' },
    { reference: 'CATALOG#hello', name: 'hello' },
    { reference: 'github:NixOS/nixpkgs#legacyPackages.x86_64-linux.hello^out,man', name: 'hello' },
    { reference: 'github:NixOS/nixpkgs/nixos-23.11#packages.x86_64-linux.default', name: 'nixpkgs' },
    { reference: 'gitlab:owner/repo#defaultPackage.x86_64-linux', name: 'repo' },
    { reference: 'git+https://example.org/a/tool?ref=main&dir=sub%2Fdir#packages.x.y', name: 'sub/dir' },
    { reference: 'git+https://example.org/srv/tool#default', name: 'tool' },
    { reference: 'path:/tmp/demo/flk', name: 'flk' },
    { reference: 'path:/tmp/my.flake#default', name: null },
    { reference: 'flake:nixpkgs#', name: null },
    { reference: 'path:/x#a%2Eb', name: 'b' },
  ])('names $reference $name', ({ reference, name }) => {
    expect(nameFromReference(reference)).toBe(name);
  });
});

describe('elementName', () => {
  it.each([
    { given: 'a store path', element: { storePaths: [P1] }, name: 'pkga' },
    { given: 'several store paths', element: { storePaths: [P2, P1, storePath('pkga-2.0')] }, name: 'pkga, pkgb' },
    {
      given: 'a catalog attribute',
      element: { storePaths: [P1], source: { originalUrl: 'catalog:/srv/c.json', attrPath: 'hello' } },
      name: 'hello',
    },
    {
      given: 'a reference holding no usable name',
      element: { storePaths: [P1], source: { originalUrl: 'path:/tmp/my.flake', attrPath: 'default' } },
      name: 'pkga',
    },
    {
      given: 'an attribute path with explicit outputs, which join the fragment',
      element: { storePaths: [P1], source: { originalUrl: 'path:/f', attrPath: 'packages.x86_64-linux.hello', outputs: ['out', 'dev'] } },
      name: 'hello',
    },
  ])('names an element from $given', ({ element, name }) => {
    expect(elementName(element)).toBe(name);
  });
});

describe('uniqueElementName', () => {
  it.each([
    { base: 'hello', taken: [], name: 'hello' },
    { base: 'hello', taken: ['hello'], name: 'hello-1' },
    { base: 'hello', taken: ['hello', 'hello-1', 'hello-3'], name: 'hello-2' },
    { base: 'hello', taken: ['hello-1'], name: 'hello' },
  ])('gives $name for $base when $taken are taken', ({ base, taken, name }) => {
    expect(uniqueElementName(base, new Set(taken))).toBe(name);
  });
});
