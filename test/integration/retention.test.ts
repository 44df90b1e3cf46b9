/**
 * Retention policies through the CLI: `profile delete-generations --keep N
 * --keep-since D` and `gc --keep N --keep-since D` over every profile.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

const catalog = 'examples/catalog.json';
let home: TestHome;

afterEach(() => home?.cleanup());

const json = async (...argv: string[]) => JSON.parse((await home.run(...argv, '--json')).stdout);
const generations = async (...profile: string[]) => (await json(...profile, 'profile', 'list-generations')).generations.map((g: { generation: number }) => g.generation);

async function fourGenerations(...profile: string[]): Promise<void> {
  for (const attr of ['hello', 'greet', 'figlet-lite']) expect((await home.run(...profile, 'profile', 'install', `${catalog}#${attr}`)).code).toBe(0);
  expect((await home.run(...profile, 'profile', 'remove', 'greet')).code).toBe(0);
}

describe('retention policies', () => {
  it('keeps the newest N plus the current generation, and records the policy it applied', async () => {
    home = makeTestHome();
    await fourGenerations();
    await home.run('profile', 'switch-generation', '1');
    const result = await home.run('profile', 'delete-generations', '--keep', '2', '--keep-since', '1s');
    expect(result.code).toBe(0);
    expect(await generations()).toEqual([1, 3, 4]);
    const deleted = (await json('log')).find((event: { type: string }) => event.type === 'GenerationsDeleted');
    expect(deleted.data).toEqual({ generations: [2], spec: ['--keep', '2', '--keep-since', '1s'] });
  });

  it('keeps everything newer than the duration, whatever --keep says (the union)', async () => {
    home = makeTestHome();
    await fourGenerations();
    expect((await home.run('profile', 'delete-generations', '--keep', '1', '--keep-since', '1w')).code).toBe(0);
    expect(await generations()).toEqual([1, 2, 3, 4]);
    expect((await home.run('profile', 'delete-generations', '--keep', '0')).code).toBe(0);
    expect(await generations()).toEqual([4]);
  });

  it('refuses a bad duration, or a policy beside generation numbers, as usage errors that change nothing', async () => {
    home = makeTestHome();
    await fourGenerations();
    const bad = await home.run('profile', 'delete-generations', '--keep-since', '7y');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("invalid duration '7y'");
    expect((await home.run('profile', 'delete-generations', '1', '--keep', '1')).code).toBe(2);
    expect(await generations()).toEqual([1, 2, 3, 4]);
  });

  it('gc --keep applies the policy to every profile, then collects what they no longer keep alive, in one command', async () => {
    home = makeTestHome();
    await fourGenerations();
    await fourGenerations('-p', 'work');
    const dead = (await home.run('gc', '--print-dead')).stdout;
    expect(dead).toBe('');
    const result = await json('gc', '--keep', '1');
    expect(result.generationsDeleted).toEqual([
      { profile: 'profile', deleted: [1, 2, 3] },
      { profile: 'work', deleted: [1, 2, 3] },
    ]);
    expect(result.deleted.length).toBeGreaterThan(0);
    expect(await generations()).toEqual([4]);
    expect(await generations('-p', 'work')).toEqual([4]);
    expect(existsSync(join(home.dir, 'home', 'profiles', 'work-1-link'))).toBe(false);
    const events = (await json('log')).slice(-3);
    expect(events.map((event: { type: string }) => event.type)).toEqual(['GenerationsDeleted', 'GenerationsDeleted', 'GarbageCollected']);
    expect((await home.run('gc', '--print-dead')).stdout).toBe('');
  });
});
