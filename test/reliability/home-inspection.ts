/**
 * Looking at a state home from outside: the log as `log --json` prints it,
 * temporary entries a crashed process may have left, and the generation
 * links of a profile compared with what the ledger says they should be.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { okJson } from './cli-runners.js';
import type { InProcessCli } from './cli-runners.js';
import type { Actor } from '../../src/world.js';

export interface LoggedEvent {
  readonly seq: number;
  readonly id: string;
  readonly stream: string;
  readonly version: number;
  readonly type: string;
  readonly hash: string;
  readonly prev: string | null;
  readonly data: unknown;
  readonly actor: Actor;
}

/** The log as `log --json` prints it; [] where no home is (a read command refuses it with GENLEDGER_NO_HOME, and nothing was recorded there). */
export async function readLog(cli: InProcessCli): Promise<LoggedEvent[]> {
  const result = await cli('log', '--json');
  if (result.code === 1 && noHome(result.stderr)) return [];
  if (result.code !== 0) throw new Error(`genledger log --json exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as LoggedEvent[];
}

/** Whether a `--json` command's stderr is the GENLEDGER_NO_HOME refusal. */
export function noHome(stderr: string): boolean {
  try {
    return (JSON.parse(stderr) as { error?: { code?: string } }).error?.code === 'GENLEDGER_NO_HOME';
  } catch {
    return false;
  }
}

/** Every name below `dir` (recursively), relative to it; [] when `dir` does not exist. */
export function namesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const names: string[] = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(join(dir, relative))) {
      const path = relative === '' ? name : `${relative}/${name}`;
      names.push(path);
      const stats = lstatSync(join(dir, path));
      if (stats.isDirectory()) walk(path);
    }
  };
  walk('');
  return names.sort();
}

/**
 * Temporary entries a crash can leave: `.tmp-*` store entries, and temp
 * links (`*.tmp-<pid>-<hex>`, `.<n>_<base>`) among the profiles and GC roots.
 */
export function tempLeftovers(home: string): string[] {
  const store = existsSync(join(home, 'store')) ? readdirSync(join(home, 'store')).filter((name) => name.startsWith('.tmp-')).map((name) => `store/${name}`) : [];
  const isTempLink = (path: string) => {
    const base = path.slice(path.lastIndexOf('/') + 1);
    return /\.tmp-/.test(base) || /^\.\d+_/.test(base);
  };
  const links = ['profiles', 'gcroots'].flatMap((dir) => namesBelow(join(home, dir)).filter(isTempLink).map((name) => `${dir}/${name}`));
  return [...store, ...links];
}

export interface GenerationsJson {
  readonly profile: string;
  readonly generations: ReadonlyArray<{ generation: number; current: boolean; profilePath: string }>;
}

export interface ProfileListJson {
  readonly profile: string;
  readonly generation: number | null;
  readonly elements: ReadonlyArray<{ name: string; storePaths: string[] }>;
}

/**
 * The profile's links on disk are exactly the ledger's: one `NAME-N-link`
 * per live generation pointing at its profile store path (which exists),
 * and `NAME` pointing at the current one's link.
 */
export async function expectLinksMatchLedger(cli: InProcessCli, home: string, profile = 'profile'): Promise<GenerationsJson> {
  const listed = await okJson<GenerationsJson>(cli, '-p', profile, 'profile', 'list-generations');
  const dir = join(home, 'profiles', profile.includes('/') ? profile.slice(0, profile.lastIndexOf('/')) : '');
  const base = profile.slice(profile.lastIndexOf('/') + 1);
  const pattern = new RegExp(`^${base.replace(/[.+]/g, '\\$&')}-(\\d+)-link$`);
  const onDisk = new Map<number, string>();
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const match = pattern.exec(name);
    if (match !== null) onDisk.set(Number(match[1]), readlinkSync(join(dir, name)));
  }
  const expected = new Map(listed.generations.map((g) => [g.generation, g.profilePath]));
  expect(new Map([...onDisk].sort(([a], [b]) => a - b))).toEqual(new Map([...expected].sort(([a], [b]) => a - b)));
  for (const target of onDisk.values()) expect(existsSync(target), `${target} exists`).toBe(true);
  const current = listed.generations.find((g) => g.current);
  if (current !== undefined) expect(readlinkSync(join(dir, base))).toBe(`${base}-${current.generation}-link`);
  return listed;
}

/**
 * Every entry below `dir` as `relative path → description` (links by target
 * and mtime, files by mode and sha256, directories by mode), skipping what
 * `skip` names: a fingerprint to prove a failed command changed nothing.
 */
export function snapshotTree(dir: string, skip: (relative: string) => boolean = () => false): Map<string, string> {
  const entries = new Map<string, string>();
  for (const path of namesBelow(dir)) {
    if (skip(path)) continue;
    const full = join(dir, path);
    const stats = lstatSync(full);
    if (stats.isSymbolicLink()) entries.set(path, `link ${readlinkSync(full)} mtime ${stats.mtimeMs}`);
    else if (stats.isDirectory()) entries.set(path, `dir ${(stats.mode & 0o7777).toString(8)}`);
    else entries.set(path, `file ${(stats.mode & 0o7777).toString(8)} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`);
  }
  return entries;
}

/** What a refused command must leave alone: everything but LevelDB's own files (rewritten on every open). */
export function homeFiles(home: string): Map<string, string> {
  return snapshotTree(home, (path) => path === 'db' || path.startsWith('db/'));
}
