/**
 * `root list` and `profile list-generations --size` through the CLI on the
 * embedded store: every root `gc --print-roots` prints, its closure size
 * (the NAR sizes `store closure` and `store info` give) and the bytes only
 * it keeps alive, which is what `gc` frees once that root alone is gone.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

const catalog = 'examples/catalog.json';
let home: TestHome;

afterEach(() => home?.cleanup());

interface Root {
  link: string;
  storePath: string;
  closureSize: number;
  exclusiveSize: number;
}

const json = async (...argv: string[]) => JSON.parse((await home.run(...argv, '--json')).stdout);
const lines = (text: string) => text.split('\n').filter((line) => line !== '');

async function closureSize(path: string): Promise<number> {
  const requisites: string[] = await json('store', 'closure', path);
  const infos: Array<{ narSize: number }> = await json('store', 'info', ...requisites);
  return infos.reduce((sum, info) => sum + info.narSize, 0);
}

async function homeWithTwoGenerations(): Promise<void> {
  home = makeTestHome();
  expect((await home.run('profile', 'install', `${catalog}#hello`)).code).toBe(0);
  expect((await home.run('profile', 'install', `${catalog}#greet`)).code).toBe(0);
}

describe('root list', () => {
  it('lists the roots gc --print-roots prints, with closure sizes and the bytes only each keeps alive', async () => {
    await homeWithTwoGenerations();
    const { roots }: { roots: Root[] } = await json('root', 'list');
    const printed = lines((await home.run('gc', '--print-roots')).stdout);
    expect(roots.map((root) => `${root.link} -> ${root.storePath}`)).toEqual(printed);
    const profiles = join(home.dir, 'home', 'profiles');
    expect(roots.map((root) => root.link)).toEqual([`${profiles}/profile-1-link`, `${profiles}/profile-2-link`]);
    for (const root of roots) {
      expect(root.closureSize).toBe(await closureSize(root.storePath));
      expect(root.exclusiveSize).toBeGreaterThan(0);
      expect(root.exclusiveSize).toBeLessThan(root.closureSize);
    }
    // hello is in both generations: what generation 2 keeps alone is its closure less generation 1's.
    const [first, second] = roots as [Root, Root];
    const shared = first.closureSize - first.exclusiveSize;
    expect(second.closureSize - second.exclusiveSize).toBe(shared);
  });

  it('says in words what each root points at and costs', async () => {
    await homeWithTwoGenerations();
    const { roots }: { roots: Root[] } = await json('root', 'list');
    const text = await home.run('root', 'list');
    expect(text.code).toBe(0);
    expect(lines(text.stdout)).toHaveLength(roots.length);
    const first = roots[0] as Root;
    const [link, closure, only] = (lines(text.stdout)[0] ?? '').split('\t');
    expect(link).toBe(`${first.link} -> ${first.storePath}`);
    expect(closure).toMatch(/^closure \d+(\.\d)? (B|KiB|MiB)$/);
    expect(only).toMatch(/^only this root \d+(\.\d)? (B|KiB|MiB)$/);
  });

  it('counts a registered root, and a root on the same path as another keeps nothing alone', async () => {
    await homeWithTwoGenerations();
    const before: { roots: Root[] } = await json('root', 'list');
    const current = before.roots[1] as Root;
    const result = join(home.dir, 'work', 'result');
    mkdirSync(join(home.dir, 'work'), { recursive: true });
    symlinkSync(current.storePath, result);
    expect((await home.run('root', 'add', result)).code).toBe(0);
    const { roots }: { roots: Root[] } = await json('root', 'list');
    const registered = roots.find((root) => root.link === result);
    expect(registered).toEqual({ link: result, storePath: current.storePath, closureSize: current.closureSize, exclusiveSize: 0 });
    expect(roots.find((root) => root.link === current.link)?.exclusiveSize).toBe(0);
  });

  it('lists the running and booted system and the system generations, on the same path keeping nothing alone', async () => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    home = makeTestHome({ env });
    env.GENLEDGER_ACTIVATION_LOG = join(home.dir, 'activation.log');
    expect((await home.run('system', 'switch', 'examples/system/gen-a')).code).toBe(0);
    expect((await home.run('system', 'reboot')).code).toBe(0);
    const { roots }: { roots: Root[] } = await json('root', 'list');
    const state = join(home.dir, 'home');
    const byLink = new Map(roots.map((root) => [root.link.slice(state.length + 1), root]));
    const running = byLink.get('run/current-system');
    const booted = byLink.get('run/booted-system');
    expect(running).toBeDefined();
    expect(booted?.storePath).toBe(running?.storePath);
    expect(running?.closureSize).toBeGreaterThan(0);
    expect([running?.exclusiveSize, booted?.exclusiveSize]).toEqual([0, 0]);
    expect([...byLink.keys()].some((link) => /^profiles\/system-1-link$/.test(link))).toBe(true);
  });

  it('gives the bytes gc frees once that root alone is gone', async () => {
    await homeWithTwoGenerations();
    const { roots }: { roots: Root[] } = await json('root', 'list');
    const first = roots[0] as Root;
    expect((await home.run('profile', 'delete-generations', '1')).code).toBe(0);
    const collected = await json('gc');
    expect(collected.bytesFreed).toBe(first.exclusiveSize);
  });
});

describe('profile list-generations --size', () => {
  it('adds the closure size and the bytes only it keeps alive per generation, as root list gives them for its link', async () => {
    await homeWithTwoGenerations();
    const { roots }: { roots: Root[] } = await json('root', 'list');
    const { generations } = await json('profile', 'list-generations', '--size');
    expect(generations.map((g: { generation: number; closureSize: number; exclusiveSize: number }) => [g.generation, g.closureSize, g.exclusiveSize])).toEqual(
      roots.map((root, index) => [index + 1, root.closureSize, root.exclusiveSize]),
    );
    const plain = lines((await home.run('profile', 'list-generations')).stdout);
    const sized = lines((await home.run('profile', 'list-generations', '--size')).stdout);
    expect(sized).toHaveLength(plain.length);
    sized.forEach((line, index) => {
      expect(line.startsWith((plain[index] ?? '').trimEnd())).toBe(true);
      expect(line).toMatch(/ {3}closure \d+(\.\d)? (B|KiB|MiB) {3}only this generation \d+(\.\d)? (B|KiB|MiB)$/);
    });
    // Without --size the JSON shape is unchanged.
    expect(Object.keys((await json('profile', 'list-generations')).generations[0])).toEqual(['generation', 'date', 'current', 'profilePath']);
  });
});
