import { chmodSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeTrees } from '../../../src/store/remove-trees.js';
import { makeTempDir } from './helpers.js';

let temp: ReturnType<typeof makeTempDir>;

/** A read-only tree of `files` files and as many symlinks, as a package or profile path looks. */
function storeLikeTree(path: string, files: number): string {
  mkdirSync(join(path, 'bin'), { recursive: true });
  mkdirSync(join(path, 'share'));
  for (let index = 0; index < files; index++) {
    writeFileSync(join(path, 'bin', `tool${index}`), `#!/bin/sh\necho ${index}\n`, { mode: 0o555 });
    symlinkSync(`../bin/tool${index}`, join(path, 'share', `link${index}`));
  }
  for (const dir of [join(path, 'bin'), join(path, 'share'), path]) chmodSync(dir, 0o555);
  return path;
}

beforeEach(() => {
  temp = makeTempDir('remove-trees');
});

afterEach(() => temp.cleanup());

describe('removeTrees', () => {
  it('removes every tree it is given, and nothing else', async () => {
    const trees = Array.from({ length: 12 }, (_, index) => storeLikeTree(join(temp.path, `path${index}`), index));
    const kept = storeLikeTree(join(temp.path, 'kept'), 3);

    await removeTrees(trees);

    expect(readdirSync(temp.path)).toEqual(['kept']);
    expect(readdirSync(join(kept, 'bin'))).toHaveLength(3);
  });

  it('removes a single tree, files, symlinks and missing paths alike', async () => {
    const file = join(temp.path, 'file');
    writeFileSync(file, 'x');
    const link = join(temp.path, 'link');
    symlinkSync(temp.path, link);
    await removeTrees([storeLikeTree(join(temp.path, 'only'), 2)]);
    await removeTrees([file, link, join(temp.path, 'missing')]);
    await removeTrees([]);
    expect(readdirSync(temp.path)).toEqual([]);
  });

  it('fails with the errno of a path it cannot remove', async () => {
    const file = join(temp.path, 'file');
    writeFileSync(file, 'x');
    const trees = [storeLikeTree(join(temp.path, 'before'), 2), join(file, 'below'), storeLikeTree(join(temp.path, 'after'), 2)];
    await expect(removeTrees(trees)).rejects.toMatchObject({ code: 'ENOTDIR', syscall: 'lstat' });
    expect(existsSync(trees[0] as string)).toBe(false);
  });
});
