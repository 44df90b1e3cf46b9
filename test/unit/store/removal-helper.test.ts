import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUSY, NEXT, sharedCounters, startRemovalHelper } from '../../../src/store/removal-helper.js';
import { makeTempDir } from './helpers.js';

let temp: ReturnType<typeof makeTempDir>;

function smallTree(name: string): string {
  const path = join(temp.path, name);
  mkdirSync(join(path, 'bin'), { recursive: true });
  writeFileSync(join(path, 'bin', 'tool'), '#!/bin/sh\n', { mode: 0o555 });
  symlinkSync('bin/tool', join(path, 'tool'));
  return path;
}

beforeEach(() => {
  temp = makeTempDir('removal-helper');
});

afterEach(() => temp.cleanup());

describe('startRemovalHelper', () => {
  it('removes every tree left on the counter, ends by itself and reports no failure', async () => {
    const trees = ['a', 'b', 'c'].map(smallTree);
    const counters = sharedCounters();

    const helper = startRemovalHelper(trees, counters);
    await helper.exited;

    expect(readdirSync(temp.path)).toEqual([]);
    expect(Atomics.load(counters, NEXT)).toBeGreaterThanOrEqual(trees.length);
    expect(Atomics.load(counters, BUSY)).toBe(0);
    expect(await helper.settle()).toEqual({});
    await helper.stop();
  });

  it('takes only the indices the caller has not taken', async () => {
    const trees = ['a', 'b', 'c'].map(smallTree);
    const counters = sharedCounters();
    Atomics.store(counters, NEXT, 2);

    const helper = startRemovalHelper(trees, counters);
    await helper.exited;

    expect(readdirSync(temp.path)).toEqual(['a', 'b']);
    await helper.stop();
  });

  it('stops at a failure and reports its errno fields', async () => {
    const file = join(temp.path, 'file');
    writeFileSync(file, 'x');
    const bad = join(file, 'below');
    const after = smallTree('after');

    const helper = startRemovalHelper([bad, after], sharedCounters());
    await helper.exited;

    expect(await helper.settle()).toEqual({ failure: expect.objectContaining({ code: 'ENOTDIR', syscall: 'lstat', path: bad }) });
    expect(readdirSync(temp.path).sort()).toEqual(['after', 'file']);
    await helper.stop();
  });

  it('settles at once, with nothing to report, when stopped before it took anything', async () => {
    const trees = ['a', 'b'].map(smallTree);
    const counters = sharedCounters();
    Atomics.store(counters, NEXT, trees.length);

    const helper = startRemovalHelper(trees, counters);
    const report = await helper.settle();
    await helper.stop();

    expect(report).toEqual({});
    expect(readdirSync(temp.path).sort()).toEqual(['a', 'b']);
  });
});
