/**
 * `gc --dry-run` says exactly what `gc` then does, in the same words (with
 * "would") and numbers: store paths, and entries that are not valid paths
 * (temporary entries of gone processes, unknown ones `--delete-unknown`
 * takes, an interrupted collection's leftovers). Embedded store, through
 * the CLI.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnCli } from '../reliability/cli-runners.js';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

const catalog = 'examples/catalog.json';
/** A pid above Linux's pid_max: no process has it. */
const DEAD_PID = 9_999_999;
const FOREIGN = `${'7'.repeat(32)}-someone-elses`;
let home: TestHome;

afterEach(() => home?.cleanup());

const lines = (text: string) => text.split('\n').filter((line) => line !== '');
const asDone = (text: string) => text.replaceAll('would delete', 'deleted').replaceAll('would be ', '');

async function homeWithGarbage(): Promise<string> {
  home = makeTestHome();
  for (const argv of [['install', `${catalog}#hello`], ['install', `${catalog}#greet`], ['remove', 'greet'], ['delete-generations', '2']]) {
    expect((await home.run('profile', ...argv)).code).toBe(0);
  }
  return join(home.dir, 'home', 'store');
}

describe('gc --dry-run', () => {
  it('prints the lines and the summary gc then prints, with would, temporary and unknown entries included', async () => {
    const store = await homeWithGarbage();
    const temporary = `.tmp-${DEAD_PID}-abcdef012345`;
    mkdirSync(join(store, temporary));
    mkdirSync(join(store, FOREIGN));
    const dryJson = JSON.parse((await home.run('gc', '--dry-run', '--delete-unknown', '--json')).stdout);
    const dry = await home.run('gc', '--dry-run', '--delete-unknown');
    expect(dry.code).toBe(0);
    expect(lines(dry.stdout)).toEqual([
      ...dryJson.deleted.map((path: string) => `would delete '${path}'`),
      `would delete entry '${temporary}' (temporary, its process is gone)`,
      `would delete entry '${FOREIGN}' (unknown, named like a store path)`,
    ]);
    expect(dry.stderr).toContain(`${dryJson.deleted.length} store paths would be deleted, ${(dryJson.bytesFreed / 1048576).toFixed(2)} MiB would be freed, 2 entries that are not valid paths would be deleted`);
    const done = await home.run('gc', '--delete-unknown');
    expect(done.code).toBe(0);
    expect(done.stdout).toBe(asDone(dry.stdout));
    expect(done.stderr).toBe(asDone(dry.stderr));
    expect((await home.run('gc', '--dry-run')).stdout).toBe('');
  });

  it('gives in --json the same paths, bytes and entries gc then reports', async () => {
    const store = await homeWithGarbage();
    mkdirSync(join(store, `.tmp-${DEAD_PID}-abcdef012345`));
    mkdirSync(join(store, FOREIGN));
    const dry = JSON.parse((await home.run('gc', '--dry-run', '--json')).stdout);
    const done = JSON.parse((await home.run('gc', '--json')).stdout);
    expect(dry.deleted.length).toBeGreaterThan(0);
    expect(dry.unknown).toEqual([FOREIGN]);
    expect(done).toEqual({ ...dry, dryRun: false });
  });

  it('names the leftovers of an interrupted gc, which the next gc finishes, instead of calling them unknown', async () => {
    await homeWithGarbage();
    const crashed = await spawnCli(join(home.dir, 'home'), ['gc'], { fault: 'during-gc@2' });
    expect(crashed.signal).toBe('SIGKILL');
    const dry = JSON.parse((await home.run('gc', '--dry-run', '--json')).stdout);
    expect(dry.removedInterrupted.length).toBeGreaterThan(0);
    expect(dry.unknown).toEqual([]);
    const dryText = await home.run('gc', '--dry-run');
    expect(lines(dryText.stdout)).toEqual(expect.arrayContaining(dry.removedInterrupted.map((name: string) => `would delete entry '${name}' (left by an interrupted gc)`)));
    // The crash left a checkpoint: the next mutating command (this gc) finishes the leftovers while it recovers, before it plans.
    const done = await home.run('gc');
    expect(done.code).toBe(0);
    expect(lines(done.stdout)).toEqual(lines(asDone(dryText.stdout)).filter((line) => !line.endsWith('(left by an interrupted gc)')));
    const after = JSON.parse((await home.run('gc', '--dry-run', '--json')).stdout);
    expect(after).toMatchObject({ deleted: [], removedInterrupted: [], unknown: [] });
  });
});
