/**
 * `root list`, `profile list-generations --size` and `gc --dry-run` on a
 * local Nix store the test owns (`nix:local?store=DIR/store&state=…`; the
 * real /nix/store is never touched): the roots are Nix's FindRoots, the
 * closure sizes are what `nix-store -q --size` gives over `nix-store -qR`,
 * and the bytes only a root keeps alive are the NAR sizes of what Nix's
 * collector calls dead once that root is gone. Skipped, saying why,
 * without Nix or root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNixStoreHome, nixStoreHomeSkipReason as skipReason } from '../nix/nix-store-home.js';
import type { NixStoreHome } from '../nix/nix-store-home.js';

if (skipReason !== null) console.warn(`skipping the root list compat tests: ${skipReason}`);

interface Root {
  link: string;
  storePath: string;
  closureSize: number;
  exclusiveSize: number;
}

describe.skipIf(skipReason !== null)('root list and gc --dry-run on a Nix store', () => {
  let store: NixStoreHome;
  const run = (...args: string[]) => store.run(...args);
  const nixStore = (...args: string[]) => store.nixStore(...args);
  const json = async (...args: string[]) => JSON.parse((await run(...args, '--json')).stdout);
  const lines = (text: string) => text.split('\n').filter((line) => line !== '');
  const narSize = (paths: readonly string[]) => paths.reduce((sum, path) => sum + Number(nixStore('-q', '--size', path).trim()), 0);

  beforeAll(async () => {
    store = makeNixStoreHome('genledger-root-list-');
    const add = (name: string) => store.add(name, name.repeat(100));
    const [first, second] = [add('first-1.0'), add('second-1.0')];
    add('garbage-1.0');
    expect((await run('profile', 'install', first)).code).toBe(0);
    expect((await run('profile', 'install', second)).code).toBe(0);
  });

  afterAll(() => store?.cleanup());

  it('lists the roots Nix finds, with the closure sizes Nix gives and what only each keeps alive', async () => {
    const { roots }: { roots: Root[] } = await json('root', 'list');
    const ours = roots.filter((root) => root.link.startsWith(store.dir));
    expect(ours.map((root) => `${root.link} -> ${root.storePath}`)).toEqual(lines(nixStore('--gc', '--print-roots')).filter((line) => line.startsWith(store.dir)));
    expect(ours).toHaveLength(2);
    for (const root of ours) expect(root.closureSize).toBe(narSize(lines(nixStore('-qR', root.storePath))));
    const { generations } = await json('profile', 'list-generations', '--size');
    expect(generations.map((g: { closureSize: number; exclusiveSize: number }) => [g.closureSize, g.exclusiveSize])).toEqual(ours.map((root) => [root.closureSize, root.exclusiveSize]));
    // What only generation 1 keeps alive is what Nix's collector calls dead once its link is gone.
    const deadBefore = new Set(lines(nixStore('--gc', '--print-dead')));
    expect((await run('profile', 'delete-generations', '1')).code).toBe(0);
    const freedByIt = lines(nixStore('--gc', '--print-dead')).filter((path) => !deadBefore.has(path));
    expect(freedByIt.length).toBeGreaterThan(0);
    expect(narSize(freedByIt)).toBe((ours[0] as Root).exclusiveSize);
  });

  it('gc --dry-run lists the paths gc then deletes, in the same words, sized by NAR size', async () => {
    const dry = await run('gc', '--dry-run');
    expect(dry.code).toBe(0);
    expect(lines(dry.stdout).length).toBeGreaterThan(0);
    const dryJson = await json('gc', '--dry-run');
    // The dry run sizes the dead by NAR size; Nix's collector reports the bytes of the files it unlinked (README, Store).
    expect(dryJson.bytesFreed).toBe(narSize(dryJson.deleted));
    const done = await json('gc');
    expect(lines(dry.stdout)).toEqual(dryJson.deleted.map((path: string) => `would delete '${path}'`));
    expect(done.deleted).toEqual(dryJson.deleted);
  });
});
