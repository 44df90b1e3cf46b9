import { lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { narHashOfTree } from '../../../src/store/nar-tree.js';
import { hashPath } from '../../../src/store/nar-writer.js';
import { countEntries, writeTree } from '../../../src/store/tree-writer.js';
import { directory, makeTempDir, randomTree, regular, seededRandom, symlink } from './helpers.js';

function everyEntry(path: string): string[] {
  const stat = lstatSync(path);
  return [path, ...(stat.isDirectory() ? readdirSync(path).flatMap((name) => everyEntry(join(path, name))) : [])];
}

describe('writeTree', () => {
  const temp = makeTempDir('tree-writer');
  afterAll(() => temp.cleanup());

  it('writes seeded random trees in canonical store form: the same NAR, read-only, every mtime 1', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 20; i++) {
      const tree = directory({ root: randomTree(random) });
      const path = join(temp.path, `random-${i}`);
      writeTree(tree, path);
      expect(hashPath(path).narHash.equals(narHashOfTree(tree).narHash)).toBe(true);
      for (const entry of everyEntry(path)) {
        const stat = lstatSync(entry);
        expect(stat.mtimeMs, entry).toBe(1000);
        if (!stat.isSymbolicLink()) expect(stat.mode & 0o222, entry).toBe(0);
      }
    }
  });

  it('reports the entries written as it goes, ending at the total, and counts every entry once', () => {
    const files = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`f${i}`, regular(`${i}`)]));
    const tree = directory({ bin: directory(files), link: symlink('bin') });
    const reports: Array<[number, number]> = [];
    writeTree(tree, join(temp.path, 'reported'), undefined, (done, total) => reports.push([done, total]));
    expect(countEntries(tree)).toBe(603);
    expect(everyEntry(join(temp.path, 'reported'))).toHaveLength(603);
    expect(reports).toEqual([[256, 603], [512, 603], [603, 603]]);
  });

  it('leaves the working directory where it was, also when a write fails half way', () => {
    const cwd = process.cwd();
    writeTree(directory({ a: directory({ b: directory({ c: regular('x') }) }), d: symlink('/nowhere') }), join(temp.path, 'nested'));
    expect(process.cwd()).toBe(cwd);
    const existing = join(temp.path, 'existing');
    mkdirSync(existing);
    expect(() => writeTree(directory({ sub: directory({ file: regular('y') }) }), existing)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(process.cwd()).toBe(cwd);
  });

  it('writes with absolute paths when the working directory is gone', () => {
    const cwd = process.cwd();
    const doomed = join(temp.path, 'doomed');
    mkdirSync(doomed);
    process.chdir(doomed);
    rmSync(doomed, { recursive: true });
    try {
      const tree = directory({ bin: directory({ tool: regular('#!/bin/sh\n', true) }) });
      writeTree(tree, join(temp.path, 'from-nowhere'));
      expect(hashPath(join(temp.path, 'from-nowhere')).narHash.equals(narHashOfTree(tree).narHash)).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });
});
