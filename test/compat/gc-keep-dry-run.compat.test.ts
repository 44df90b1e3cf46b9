/**
 * `gc --keep N --dry-run` on a local Nix store the test owns (as
 * gc-insight.compat.test.ts; the real /nix/store is never touched): Nix
 * cannot be told to ignore the generation links the policy would remove,
 * so genledger adds what only they keep alive to Nix's dead paths; the
 * preview must name exactly the paths Nix's collector then deletes in the
 * real `gc --keep N`. Skipped, saying why, without Nix or root.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNixStoreHome, nixStoreHomeSkipReason as skipReason } from '../nix/nix-store-home.js';
import type { NixStoreHome } from '../nix/nix-store-home.js';

if (skipReason !== null) console.warn(`skipping the gc --keep --dry-run compat tests: ${skipReason}`);

describe.skipIf(skipReason !== null)('gc --keep --dry-run against what Nix then deletes', () => {
  let store: NixStoreHome;
  const paths: Record<string, string> = {};
  const ok = async (...args: string[]) => {
    const result = await store.run(...args);
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };

  beforeAll(async () => {
    store = makeNixStoreHome('genledger-gc-keep-dry-');
    for (const name of ['once-1.0', 'twice-1.0', 'kept-1.0', 'newest-1.0', 'garbage-1.0']) paths[name] = store.add(name);
    // Generations 1 {once}, 2 {once, twice}, 3 {twice}, 4 {twice, kept}, 5 {kept}, 6 {kept, newest}: once and twice live only in old ones.
    await ok('profile', 'install', paths['once-1.0'] ?? '');
    await ok('profile', 'install', paths['twice-1.0'] ?? '');
    await ok('profile', 'remove', 'once');
    await ok('profile', 'install', paths['kept-1.0'] ?? '');
    await ok('profile', 'remove', 'twice');
    await ok('profile', 'install', paths['newest-1.0'] ?? '');
  });

  afterAll(() => store?.cleanup());

  it('previews the paths Nix deletes once the old generation links are gone, and writes nothing', async () => {
    const links = () => readdirSync(join(store.dir, 'profiles')).sort();
    const before = links();
    const events = JSON.parse(await ok('log', '--json')).length;
    const preview = JSON.parse(await ok('gc', '--keep', '1', '--dry-run', '--json'));
    expect(preview.dryRun).toBe(true);
    expect(preview.generationsDeleted).toHaveLength(1);
    expect(preview.generationsDeleted[0].deleted).toEqual([1, 2, 3, 4, 5]);
    expect(preview.deleted).toEqual(expect.arrayContaining([paths['once-1.0'], paths['twice-1.0'], paths['garbage-1.0']]));
    expect(preview.deleted).not.toContain(paths['kept-1.0']);
    expect(preview.deleted).not.toContain(paths['newest-1.0']);
    expect(links()).toEqual(before);
    expect(JSON.parse(await ok('log', '--json')).length).toBe(events);
    expect(store.nixStore('--check-validity', '--print-invalid', ...preview.deleted)).toBe('');

    const real = JSON.parse(await ok('gc', '--keep', '1', '--json'));
    expect(real.generationsDeleted).toEqual(preview.generationsDeleted);
    expect([...real.deleted].sort()).toEqual([...preview.deleted].sort());
    expect(store.nixStore('--check-validity', '--print-invalid', ...preview.deleted).trim().split('\n').sort()).toEqual([...preview.deleted].sort());
  });
});
