import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeTree } from '../../../src/store/remove-tree.js';
import { FIXTURES, makeTempDir, writeTree } from './helpers.js';

let temp: ReturnType<typeof makeTempDir>;

/** A tree in canonical store form: files 0444/0555, directories 0555. */
function readOnlyStoreTree(path: string): void {
  writeTree(FIXTURES.tree!, path);
  const lockDown = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const child = join(dir, entry.name);
      if (entry.isDirectory()) lockDown(child);
      else if (entry.isFile()) chmodSync(child, 0o444);
    }
    chmodSync(dir, 0o555);
  };
  lockDown(path);
}

beforeEach(() => {
  temp = makeTempDir('remove-tree');
});

afterEach(() => temp.cleanup());

describe('removeTree', () => {
  it('removes a read-only store tree with nested directories, empty directories and symlinks', () => {
    const tree = join(temp.path, 'tree');
    readOnlyStoreTree(tree);
    removeTree(tree);
    expect(existsSync(tree)).toBe(false);
  });

  it('removes symlinks without following them, even to directories', () => {
    const outside = join(temp.path, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'keep'), 'keep me');
    const tree = join(temp.path, 'tree');
    mkdirSync(tree);
    symlinkSync(outside, join(tree, 'to-dir'));
    symlinkSync(join(outside, 'keep'), join(tree, 'to-file'));
    symlinkSync('nowhere', join(tree, 'dangling'));
    chmodSync(tree, 0o555);
    const topLink = join(temp.path, 'top-link');
    symlinkSync(outside, topLink);

    removeTree(tree);
    removeTree(topLink);

    expect(existsSync(tree)).toBe(false);
    expect(lstatSync(topLink, { throwIfNoEntry: false })).toBeUndefined();
    expect(readdirSync(outside)).toEqual(['keep']);
  });

  it('removes a single file', () => {
    const file = join(temp.path, 'file');
    writeFileSync(file, 'x', { mode: 0o444 });
    removeTree(file);
    expect(existsSync(file)).toBe(false);
  });

  it('does nothing when the path does not exist', () => {
    expect(() => removeTree(join(temp.path, 'missing'))).not.toThrow();
  });

  it('removes entries whose names are not UTF-8', () => {
    const tree = join(temp.path, 'tree');
    const odd = Buffer.concat([Buffer.from(`${tree}/`), Buffer.from([0x6e, 0xff, 0x6e])]);
    mkdirSync(tree);
    mkdirSync(odd);
    writeFileSync(Buffer.concat([odd, Buffer.from('/'), Buffer.from([0xfe])]), 'bytes');
    writeFileSync(join(tree, 'plain'), 'text');
    chmodSync(odd, 0o555);
    chmodSync(tree, 0o555);

    removeTree(tree);

    expect(existsSync(tree)).toBe(false);
  });

  it('fails with the errno of a path it cannot reach', () => {
    const file = join(temp.path, 'file');
    writeFileSync(file, 'x');
    expect(() => removeTree(join(file, 'below'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });
});
