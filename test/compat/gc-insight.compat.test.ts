/**
 * `gc --print-roots/--print-live/--print-dead` against `nix-store --gc`
 * itself, on the same local Nix store the test owns
 * (`nix:local?store=DIR/store&state=…`, as in nix-backend.compat.test.ts;
 * the real /nix/store is never touched). Runtime roots (`/proc/…`) belong
 * to whichever process asks, so roots are compared under the test's own
 * directory. Skipped, saying why, without Nix or root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNixStoreHome, nixStoreHomeSkipReason as skipReason } from '../nix/nix-store-home.js';
import type { NixStoreHome } from '../nix/nix-store-home.js';

if (skipReason !== null) console.warn(`skipping the gc insight compat tests: ${skipReason}`);

describe.skipIf(skipReason !== null)('gc --print-* against nix-store --gc on the same Nix store', () => {
  let store: NixStoreHome;
  const under = (text: string) => text.split('\n').filter((line) => line.startsWith(store.dir));

  beforeAll(async () => {
    store = makeNixStoreHome('genledger-gc-insight-');
    const [first, second] = [store.add('first-1.0'), store.add('second-1.0')];
    store.add('garbage-1.0');
    expect((await store.run('profile', 'install', first)).code).toBe(0);
    expect((await store.run('profile', 'install', second)).code).toBe(0);
  });

  afterAll(() => store?.cleanup());

  it('prints the roots nix-store --gc --print-roots prints, line for line', async () => {
    const ours = await store.run('gc', '--print-roots');
    expect(ours.code).toBe(0);
    const theirs = under(store.nixStore('--gc', '--print-roots'));
    expect(theirs.length).toBeGreaterThanOrEqual(2);
    expect(under(ours.stdout)).toEqual(theirs);
  });

  it('prints the live and dead paths nix-store --gc --print-live/--print-dead print, in the same order', async () => {
    const live = await store.run('gc', '--print-live');
    expect(live.stdout).toBe(store.nixStore('--gc', '--print-live'));
    const dead = await store.run('gc', '--print-dead');
    expect(dead.stdout).toBe(store.nixStore('--gc', '--print-dead'));
    expect(dead.stdout).toContain('garbage-1.0');
  });
});
