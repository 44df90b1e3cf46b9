import { describe, expect, it } from 'vitest';
import { memoryPackageView } from '../../../src/projection/memory-package-view.js';
import { dir, file, link } from './tree-fixtures.js';

const A = '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a';
const B = '/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-b';

const view = memoryPackageView({
  [A]: dir({
    bin: dir({ tool: file('#!/bin/sh\n', true), alias: link('tool'), up: link('../share') }),
    share: dir({ 'z.txt': file('z'), 'a.txt': file('a'), 'é': file(), Z: file() }),
    lib: link(`${B}/lib`),
    dangling: link('nowhere'),
    loop: link('loop'),
    hop: link('./bin/../share/a.txt'),
  }),
  [B]: dir({ lib: dir({ 'libb.so': file() }), text: file('x y\nz') }),
  '/srv/other': file('elsewhere'),
});

describe('memoryPackageView', () => {
  it.each([
    { path: A, kind: 'directory' },
    { path: `${A}/bin/tool`, kind: 'file' },
    { path: `${A}/bin/alias`, kind: 'file' },
    { path: `${A}/bin/up`, kind: 'directory' },
    { path: `${A}/lib/libb.so`, kind: 'file' },
    { path: `${A}/hop`, kind: 'file' },
    { path: '/nix/store', kind: 'directory' },
    { path: '/srv/other', kind: 'file' },
    { path: `${A}/dangling`, kind: 'missing' },
    { path: `${A}/loop`, kind: 'missing' },
    { path: `${A}/bin/tool/x`, kind: 'missing' },
    { path: `${A}/nothing`, kind: 'missing' },
  ])('sees $path as $kind, following symlinks', ({ path, kind }) => {
    expect(view.kind(path)).toBe(kind);
  });

  it('lists directory entries in byte order, through symlinks', () => {
    expect(view.list(`${A}/share`)).toEqual(['Z', 'a.txt', 'z.txt', 'é']);
    expect(view.list(`${A}/bin/up`)).toEqual(['Z', 'a.txt', 'z.txt', 'é']);
    expect(view.list(`${A}/lib`)).toEqual(['libb.so']);
  });

  it('resolves real paths across roots, relative links and ..', () => {
    expect(view.realPath(`${A}/lib`)).toBe(`${B}/lib`);
    expect(view.realPath(`${A}/bin/up`)).toBe(`${A}/share`);
    expect(view.realPath(`${A}/hop`)).toBe(`${A}/share/a.txt`);
    expect(view.realPath(`${A}/bin/./alias`)).toBe(`${A}/bin/tool`);
  });

  it('reads text files and gives null for anything unreadable', () => {
    expect(view.readText(`${B}/text`)).toBe('x y\nz');
    expect(view.readText(`${A}/share`)).toBeNull();
    expect(view.readText(`${A}/dangling`)).toBeNull();
  });

  it('refuses to list what is not a directory and to resolve what does not exist', () => {
    expect(() => view.list(`${A}/bin/tool`)).toThrow(/not a directory/);
    expect(() => view.realPath(`${A}/dangling`)).toThrow(/does not exist/);
  });

  it('refuses roots that overlap', () => {
    expect(() => memoryPackageView({ [A]: dir(), [`${A}/bin`]: dir() })).toThrow(/overlaps another root/);
    expect(() => memoryPackageView({ [`${A}/bin`]: dir(), [A]: dir() })).toThrow(/overlaps another root/);
    expect(() => memoryPackageView({ '/': dir() })).toThrow(/cannot mount a root at '\/'/);
  });
});
