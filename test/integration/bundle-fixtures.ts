/**
 * Fixtures for the bundle tests: homes whose stores are all named for
 * /nix/store (each under its own chroot root), so store paths are equal
 * across homes, and snapshots of directory trees (names, link targets and
 * mtimes, file bytes and modes) to compare homes or to prove nothing changed.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Actor } from '../../src/world.js';
import { makeTestHome } from './test-world.js';
import type { RunResult, TestHome } from './test-world.js';

export const catalog = 'examples/catalog.json';

export interface StoreHome extends TestHome {
  /** The chroot root: /nix/store paths live under `<root>/nix/store`. */
  readonly root: string;
  readonly home: string;
  /** Runs the CLI with this home's store flags. */
  cli(...argv: string[]): Promise<RunResult>;
  /** Runs the CLI and fails the test, showing stderr, unless it exits 0. */
  ok(...argv: string[]): Promise<RunResult>;
}

export function makeStoreHome(options: { start: string; actor: Partial<Actor> }): StoreHome {
  const base = makeTestHome(options);
  const root = join(base.dir, 'root');
  const cli = (...argv: string[]) => base.run('--store-dir', '/nix/store', '--store-root', root, ...argv);
  return {
    ...base,
    root,
    home: join(base.dir, 'home'),
    cli,
    async ok(...argv) {
      const result = await cli(...argv);
      expect(result.stderr, `genledger ${argv.join(' ')}`).not.toMatch(/internal error/);
      expect(result.code, `genledger ${argv.join(' ')}: ${result.stderr}`).toBe(0);
      return result;
    },
  };
}

/**
 * Every entry below `dir` as `relative path → description`: symlinks by
 * target and mtime, files by mode and sha256, directories by mode.
 * Directory mtimes are left out: they move with any temporary entry.
 */
export function snapshotTree(dir: string, skip: (relative: string) => boolean = () => false): Map<string, string> {
  const entries = new Map<string, string>();
  const walk = (relative: string) => {
    for (const name of readdirSync(join(dir, relative)).sort()) {
      const path = relative === '' ? name : `${relative}/${name}`;
      if (skip(path)) continue;
      const full = join(dir, path);
      const stats = lstatSync(full);
      if (stats.isSymbolicLink()) entries.set(path, `link ${readlinkSync(full)} mtime ${stats.mtimeMs}`);
      else if (stats.isDirectory()) {
        entries.set(path, `dir ${(stats.mode & 0o7777).toString(8)}`);
        walk(path);
      } else entries.set(path, `file ${(stats.mode & 0o7777).toString(8)} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`);
    }
  };
  walk('');
  return entries;
}

/**
 * What a failed import must leave alone: every file of the home but
 * LevelDB's own (which it rewrites on open), and the log ('no home' where
 * none is: an import into a home that did not exist must not leave one).
 */
export async function homeState(home: StoreHome): Promise<{ files: Map<string, string>; log: string }> {
  const read = await home.cli('log', '--json');
  const log = read.code === 1 && read.stderr.includes('"code":"GENLEDGER_NO_HOME"') ? 'no home' : (await home.ok('log', '--json')).stdout;
  const files = snapshotTree(home.dir, (path) => path === 'home/db' || path.startsWith('home/db/'));
  return { files, log };
}

export function jsonOf<T = unknown>(result: RunResult): T {
  return JSON.parse(result.stdout) as T;
}
