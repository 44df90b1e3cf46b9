import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog, makeStoreHome, snapshotTree } from './bundle-fixtures.js';
import type { StoreHome } from './bundle-fixtures.js';

/**
 * Determinism: the disk is a function of the log. One log replayed into
 * two fresh directories gives the same tree, entry for entry. Indirect GC
 * roots are the one place an absolute path shows: each is named for a hash
 * of the link it roots (as Nix names them) and points at it, so they are
 * compared with the directory's own path taken out.
 */
describe('replaying one log into two fresh directories', () => {
  let home: StoreHome;
  let temp: string;

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'genledger-replay-'));
    home = makeStoreHome({ start: '2026-01-10T08:00:00Z', actor: { user: 'alice', uid: 1000, host: 'host-a' } });
    await home.ok('profile', 'install', `${catalog}#hello`, `${catalog}#greet`);
    await home.ok('profile', 'remove', 'greet');
    await home.ok('profile', 'install', `${catalog}#figlet-lite`, '--priority', '3');
    await home.ok('profile', 'rollback');
    await home.ok('profile', 'delete-generations', '1');
    await home.ok('-p', 'per-user/alice/profile', 'profile', 'install', `${catalog}#greet`);
    await home.ok('replay', '--into', join(temp, 'one'));
    await home.ok('replay', '--into', join(temp, 'two'));
  });

  afterAll(() => {
    home?.cleanup();
    rmSync(temp, { recursive: true, force: true });
  });

  /** The tree with the directory's path replaced by `DIR`, and GC roots keyed by what they root. */
  const tree = (dir: string) => {
    const entries = new Map<string, string>();
    for (const [path, entry] of snapshotTree(dir)) {
      const portable = entry.replaceAll(dir, 'DIR');
      entries.set(path.startsWith('gcroots/auto/') ? `gcroots/auto/root of ${portable}` : path, portable);
    }
    return entries;
  };

  it('gives identical names, link targets, mtimes and file bytes', () => {
    const one = tree(join(temp, 'one'));
    expect(one.size).toBeGreaterThan(8);
    expect(tree(join(temp, 'two'))).toEqual(one);
  });

  it('gives the profiles the live home has', () => {
    expect(snapshotTree(join(temp, 'one', 'profiles'))).toEqual(snapshotTree(join(home.home, 'profiles')));
  });
});
