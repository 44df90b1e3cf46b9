/**
 * `gc --print-roots/--print-live/--print-dead` and `--max-freed` suffixes
 * through the CLI, on the embedded store. The comparison with Nix's own
 * output is in test/compat/gc-insight.compat.test.ts.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

const catalog = 'examples/catalog.json';
let home: TestHome;

afterEach(() => home?.cleanup());

const json = async (...argv: string[]) => JSON.parse((await home.run(...argv, '--json')).stdout);
const lines = (text: string) => text.split('\n').filter((line) => line !== '');
const byteOrder = (values: string[]) => [...values].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

async function homeWithGarbage(): Promise<void> {
  home = makeTestHome();
  await home.run('profile', 'install', `${catalog}#hello`);
  await home.run('profile', 'install', `${catalog}#greet`);
  await home.run('profile', 'remove', 'greet');
  await home.run('profile', 'delete-generations', '2');
}

describe('gc --print-roots, --print-live, --print-dead', () => {
  it('prints every generation link as LINK -> STORE-PATH, sorted, and the same as JSON', async () => {
    await homeWithGarbage();
    const printed = await home.run('gc', '--print-roots');
    expect(printed.code).toBe(0);
    const profiles = join(home.dir, 'home', 'profiles');
    const { generations } = await json('profile', 'list-generations');
    const expected = generations.map((g: { generation: number; storePath?: string; profilePath?: string }) => `${profiles}/profile-${g.generation}-link -> ${g.storePath ?? g.profilePath}`);
    expect(lines(printed.stdout).filter((line) => line.startsWith(profiles))).toEqual(byteOrder(expected));
    expect(lines(printed.stdout)).toEqual(byteOrder(lines(printed.stdout)));
    const { roots } = await json('gc', '--print-roots');
    expect(roots.map((r: { link: string; storePath: string }) => `${r.link} -> ${r.storePath}`)).toEqual(lines(printed.stdout));
  });

  it('prints live and dead paths that partition the store, dead being exactly what gc then deletes', async () => {
    await homeWithGarbage();
    const live = lines((await home.run('gc', '--print-live')).stdout);
    const dead = lines((await home.run('gc', '--print-dead')).stdout);
    expect(live).toEqual(byteOrder(live));
    expect(dead).toEqual(byteOrder(dead));
    expect(dead.length).toBeGreaterThan(0);
    expect(live.filter((path) => dead.includes(path))).toEqual([]);
    expect((await json('gc', '--print-dead')).dead).toEqual(dead);
    expect((await json('gc', '--print-live')).live).toEqual(live);
    // Printing deleted and recorded nothing: the dead are all still there to collect.
    expect(lines((await home.run('gc', '--print-dead')).stdout)).toEqual(dead);
    const done = await json('gc');
    expect(byteOrder(done.deleted)).toEqual(dead);
    expect(lines((await home.run('gc', '--print-live')).stdout)).toEqual(live);
    expect((await home.run('gc', '--print-dead')).stdout).toBe('');
  });

  it('takes --max-freed with K/M/G/T suffixes, and refuses a bad one or a second print option as usage errors', async () => {
    await homeWithGarbage();
    expect((await home.run('gc', '--print-dead', '--max-freed', '1')).stdout).not.toBe('');
    expect((await home.run('gc', '--dry-run', '--max-freed', '2k')).code).toBe(0);
    const bad = await home.run('gc', '--max-freed', '5X');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("invalid unit specifier 'X'");
    expect((await home.run('gc', '--print-roots', '--print-dead')).code).toBe(2);
    expect((await home.run('gc', '--print-dead', '--dry-run')).code).toBe(2);
  });
});
