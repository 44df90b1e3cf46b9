/**
 * Real Nix 2.8 as the oracle for GC roots and collection, on an isolated
 * chroot store (`--store DIR`); the real /nix/store is never touched. The
 * store's paths and references are read from `nix-store --dump-db` and fed
 * to genledger's root finder and planner, whose answers must equal Nix's
 * `--print-roots`, `--print-live`, `--print-dead` and what `--gc` deletes.
 * Skipped, with the reason printed, when Nix is not installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRoots } from '../../src/store/gc-roots.js';
import { planGarbageCollection } from '../../src/store/gc-plan.js';
import type { ValidPathFacts } from '../../src/store/gc-plan.js';
import { removeTree } from '../../src/store/remove-tree.js';
import { StoreLocation } from '../../src/store/store-location.js';

const nixMissing = spawnSync('nix-store', ['--version']).status !== 0;
if (nixMissing) console.warn('skipping GC compat tests: nix-store is not installed');

const EXPRESSION = `
  let c = builtins.toFile "c" "leaf";
      b = builtins.toFile "b" "uses \${c}";
      a = builtins.toFile "a" "uses \${b}";
      h = builtins.toFile "h" "dead leaf";
      g = builtins.toFile "g" "dead, uses \${h}";
  in { inherit a g h;
       d = builtins.toFile "d" "dead, uses \${c}";
       e = builtins.toFile "e" "alone";
       f = builtins.toFile "f" "profile";
       k = builtins.toFile "k" "named by a file"; }`;

let work: string;
let root: string;
let location: StoreLocation;
let stateDir: string;
let paths: Record<string, string | undefined>;

function pathNamed(name: string): string {
  const path = paths[name];
  if (path === undefined) throw new Error(`the fixture has no path '${name}'`);
  return path;
}

function nixStore(...args: string[]): string {
  return execFileSync('nix-store', ['--store', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `--dump-db` lines: path, NAR hash, NAR size, deriver, reference count, references. */
function validPaths(): Map<string, ValidPathFacts> {
  const lines = nixStore('--dump-db').split('\n');
  const valid = new Map<string, ValidPathFacts>();
  for (let i = 0; i + 4 < lines.length; ) {
    const path = lines[i] ?? '';
    const narSize = Number(lines[i + 2]);
    const count = Number(lines[i + 4]);
    valid.set(path, { narSize, references: lines.slice(i + 5, i + 5 + count) });
    i += 5 + count;
  }
  return valid;
}

function deletedIn(log: string): string[] {
  return [...log.matchAll(/^deleting '([^']+)'$/gm)].map((match) => match[1] ?? '');
}

function sortedLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '').sort();
}

describe.skipIf(nixMissing)('GC against Nix 2.8 on a chroot store', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'genledger-gc-compat-'));
    root = join(work, 'root');
    stateDir = join(root, 'nix/var/nix');
    location = new StoreLocation('/nix/store', join(root, 'nix/store'));
    const out = execFileSync('nix-instantiate', ['--store', root, '--read-write-mode', '--strict', '--json', '--eval', '-E', EXPRESSION], {
      encoding: 'utf8',
    });
    paths = JSON.parse(out) as Record<string, string>;
    mkdirSync(join(work, 'out'));
    nixStore('--add-root', join(work, 'out/result'), '-r', pathNamed('a'));
    nixStore('--add-root', join(work, 'out/gone'), '-r', pathNamed('e'));
    rmSync(join(work, 'out/gone'));
    symlinkSync(pathNamed('f'), join(stateDir, 'profiles/p-1-link'));
    symlinkSync('/nix/store/../etc', join(stateDir, 'gcroots/sneaky'));
    writeFileSync(join(stateDir, 'gcroots', pathNamed('k').slice('/nix/store/'.length)), '');
    mkdirSync(join(location.physicalDir, '.tmp-1-junk'));
    writeFileSync(join(location.physicalDir, 'stray'), '');
  });

  afterAll(() => {
    removeTree(work);
    rmSync(work, { recursive: true, force: true });
  });

  it('finds the roots Nix prints, and the stale auto link Nix removes', () => {
    const valid = validPaths();
    const autoDir = join(stateDir, 'gcroots/auto');
    const found = findRoots([join(stateDir, 'gcroots'), join(stateDir, 'profiles')], location, (p) => valid.has(p), {
      removeStaleAutoLinks: false,
      autoDir,
    });
    expect(found.staleLinks.map((s) => s.target)).toEqual([join(work, 'out/gone')]);
    const printed = sortedLines(nixStore('--gc', '--print-roots')).filter((line) => line.startsWith(work));
    expect(found.roots.map((r) => `${r.link} -> ${r.storePath}`).sort()).toEqual(printed);
    expect(readdirSync(autoDir)).not.toContain(found.staleLinks[0]?.link.slice(autoDir.length + 1));
  });

  it('plans the live and dead sets Nix computes, and deletes what Nix deletes, referrers first', () => {
    const valid = validPaths();
    const found = findRoots([join(stateDir, 'gcroots'), join(stateDir, 'profiles')], location, (p) => valid.has(p), {
      removeStaleAutoLinks: false,
      autoDir: join(stateDir, 'gcroots/auto'),
    });
    const plan = planGarbageCollection({
      valid,
      roots: found.roots.map((r) => r.storePath),
      storeEntries: readdirSync(location.physicalDir),
    });
    // Nix 2.8's --print-live deletes junk entries as it meets them (and lists them as live); only valid paths are live.
    // Nix owns its store, so it deletes what its database does not list; genledger keeps what it does not know.
    const printLive = spawnSync('nix-store', ['--store', root, '--gc', '--print-live', '-v'], { encoding: 'utf8' });
    expect(plan.live).toEqual(sortedLines(printLive.stdout).filter((p) => valid.has(p)));
    expect(plan.unknown).toEqual(['.tmp-1-junk', 'stray']);
    expect(plan.temporary).toEqual([]);
    expect(deletedIn(printLive.stderr).sort()).toEqual(plan.unknown.map((name) => `/nix/store/${name}`));
    expect(plan.dead.map((d) => d.path).sort()).toEqual(sortedLines(nixStore('--gc', '--print-dead')));

    const deleted = deletedIn(spawnSync('nix-store', ['--store', root, '--gc', '-v'], { encoding: 'utf8' }).stderr);
    expect([...deleted].sort()).toEqual(plan.dead.map((d) => d.path).sort());
    const [g, h] = [pathNamed('g'), pathNamed('h')];
    expect(deleted.indexOf(g)).toBeLessThan(deleted.indexOf(h));
    expect(plan.dead.findIndex((d) => d.path === g)).toBeLessThan(plan.dead.findIndex((d) => d.path === h));
  });
});
