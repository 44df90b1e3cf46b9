import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findRoots } from '../../../src/store/gc-roots.js';
import { indirectRootName } from '../../../src/store/indirect-root.js';
import { StoreLocation } from '../../../src/store/store-location.js';

const storePath = (hashChar: string, name: string) => `/nix/store/${hashChar.repeat(32)}-${name}`;
const gen1 = storePath('a', 'gen1');
const gen2 = storePath('b', 'gen2');
const alice = storePath('c', 'alice-env');
const result = storePath('d', 'result');
const fileRoot = storePath('f', 'file-root');
const unregistered = storePath('g', 'unregistered');
const valid = new Set([gen1, gen2, alice, result, fileRoot]);

let home: string;
let location: StoreLocation;

function link(path: string, target: string): string {
  const full = join(home, path);
  mkdirSync(dirname(full), { recursive: true });
  symlinkSync(target, full);
  return full;
}

function file(path: string): string {
  const full = join(home, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, '');
  return full;
}

function find(removeStaleAutoLinks = true) {
  return findRoots([join(home, 'gcroots'), join(home, 'profiles')], location, (p) => valid.has(p), {
    removeStaleAutoLinks,
    autoDir: join(home, 'gcroots/auto'),
  });
}

/** An indirect root as `addPermRoot` makes it: the link, plus `gcroots/auto/<name>` → link. */
function permRoot(linkPath: string, target: string): string {
  const full = link(linkPath, target);
  link(`gcroots/auto/${indirectRootName(full)}`, full);
  return full;
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'genledger-gc-roots-'));
  location = new StoreLocation('/nix/store', join(home, 'store'));
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('findRoots', () => {
  it('reports every generation link and nested per-user link under its own path', () => {
    const g1 = link('profiles/default-1-link', gen1);
    const g2 = link('profiles/default-2-link', gen2);
    link('profiles/default', 'default-2-link');
    const a3 = link('profiles/per-user/alice/profile-3-link', `${alice}/bin/hello`);
    expect(find().roots).toEqual([
      { link: g1, storePath: gen1 },
      { link: g2, storePath: gen2 },
      { link: a3, storePath: alice },
    ]);
  });

  it('follows an indirect auto link one level to a link into the store', () => {
    const outside = permRoot('elsewhere/result', result);
    const found = find();
    expect(found.roots).toEqual([{ link: outside, storePath: result }]);
    expect(found.staleLinks).toEqual([]);
  });

  it('does not follow indirection more than one level', () => {
    const inner = link('elsewhere/inner', result);
    const outer = link('elsewhere/outer', inner);
    link(`gcroots/auto/${indirectRootName(outer)}`, outer);
    expect(find().roots).toEqual([]);
  });

  it('removes a stale auto link and reports it', () => {
    const gone = join(home, 'elsewhere/gone-1-link');
    const stale = link(`gcroots/auto/${indirectRootName(gone)}`, gone);
    const found = find();
    expect(found.roots).toEqual([]);
    expect(found.staleLinks).toEqual([{ link: stale, target: gone }]);
    expect(isSymlink(stale)).toBe(false);
  });

  it('reports but keeps a stale auto link when asked not to remove it', () => {
    const gone = join(home, 'elsewhere/gone-1-link');
    const stale = link(`gcroots/auto/${indirectRootName(gone)}`, gone);
    expect(find(false).staleLinks).toEqual([{ link: stale, target: gone }]);
    expect(isSymlink(stale)).toBe(true);
  });

  it('never removes a dangling link outside the auto directory', () => {
    const dangling = link('gcroots/manual', join(home, 'nowhere'));
    expect(find().staleLinks).toEqual([]);
    expect(isSymlink(dangling)).toBe(true);
  });

  it('takes a regular file named like a valid store path as a root', () => {
    const named = file(`gcroots/${fileRoot.slice('/nix/store/'.length)}`);
    file(`gcroots/${unregistered.slice('/nix/store/'.length)}`);
    file('gcroots/not-a-store-path');
    expect(find().roots).toEqual([{ link: named, storePath: fileRoot }]);
  });

  it('ignores links whose target climbs out of the store with . or ..', () => {
    link('gcroots/etc', '/nix/store/../etc');
    link('gcroots/sneaky', `${gen1}/../${gen2.slice('/nix/store/'.length)}`);
    link('gcroots/dot', `/nix/store/./${gen1.slice('/nix/store/'.length)}`);
    link('gcroots/bare', '/nix/store/');
    expect(find().roots).toEqual([]);
  });

  it('ignores links to paths that are not valid', () => {
    link('gcroots/unregistered', unregistered);
    link('gcroots/not-a-path', '/nix/store/short');
    expect(find().roots).toEqual([]);
  });

  it('does not walk into directory symlinks', () => {
    link('elsewhere/more/link', gen1);
    link('gcroots/more', join(home, 'elsewhere/more'));
    expect(find().roots).toEqual([]);
  });

  it('skips roots directories that do not exist', () => {
    expect(findRoots([join(home, 'missing')], location, () => true, { removeStaleAutoLinks: true, autoDir: join(home, 'missing/auto') })).toEqual({
      roots: [],
      staleLinks: [],
    });
  });

  it('reports a root reached both directly and through its auto link once', () => {
    const g1 = permRoot('profiles/default-1-link', gen1);
    expect(find().roots).toEqual([{ link: g1, storePath: gen1 }]);
  });
});

function isSymlink(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
}
