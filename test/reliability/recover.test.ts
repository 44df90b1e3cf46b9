/**
 * `recover` brings back a home whose database was lost or damaged: the
 * ledger from backups and bundles, the store's registry and the profiles
 * from the disk, and says exactly what was lost. The old database is moved
 * aside, never deleted, and a failed recovery leaves the home as it was.
 *
 * The home of every case: profile 'profile' (greet, then hello, then greet
 * removed: generations 1-3), profile 'work' (figlet-lite), a `store add`
 * path kept by a GC root, one (whose file names hello's store path) that
 * nothing keeps, and the same added with --scan-references. The ledger head
 * file (`ledger-head.json`, written by every append once the head-file work
 * is merged) is written here by the test, in its documented format.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logEntryHash } from '../../src/ledger/log-entry.js';
import { catalogPath, inProcessCli, ok, okJson, spawnCli } from './cli-runners.js';
import type { InProcessCli } from './cli-runners.js';
import { readLog } from './home-inspection.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

interface RecoveryJson {
  readonly reason: string;
  readonly setAside: { db: string | null; headFile: string | null };
  readonly before: { seq: number; hash: string } | null;
  readonly recovered: { events: number; sources: Array<{ kind: string; dir: string; events: number }> };
  readonly lost: { events: number; seqs: [number, number] | null } | null;
  readonly headMatches: boolean | null;
  readonly profiles: { fromSources: string[]; rebuiltFromDisk: string[]; changedOnDisk: string[] };
  readonly store: { reregistered: number; alreadyValid: number; unreadable: unknown[] };
  readonly missing: unknown[];
  readonly after: { seq: number; hash: string } | null;
}

interface StoreInfo {
  readonly path: string;
  readonly registrationTime: number;
}

let scratch: Scratch;
let home: string;
let cli: InProcessCli;

beforeEach(() => {
  scratch = makeScratch('recover');
  home = join(scratch.dir, 'home');
  cli = inProcessCli(home);
});
afterEach(() => scratch.cleanup());

async function buildHome(options: { root: boolean } = { root: true }): Promise<void> {
  await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
  await ok(cli, 'profile', 'install', `${catalogPath}#hello`);
  await ok(cli, 'profile', 'remove', 'greet');
  await ok(cli, '-p', 'work', 'profile', 'install', `${catalogPath}#figlet-lite`);
  const hello = storeEntries().find((path) => path.endsWith('-hello-1.0'));
  const kept = join(scratch.dir, 'kept');
  mkdirSync(kept);
  writeFileSync(join(kept, 'note'), 'kept by a root\n');
  const keptPath = (await ok(cli, 'store', 'add', kept)).stdout.trim();
  symlinkSync(keptPath, join(scratch.dir, 'result'));
  if (options.root) await ok(cli, 'root', 'add', join(scratch.dir, 'result'));
  const loose = join(scratch.dir, 'loose');
  mkdirSync(loose);
  writeFileSync(join(loose, 'uses'), `${hello}/bin/hello\n`);
  await ok(cli, 'store', 'add', loose);
  await ok(cli, 'store', 'add', '--scan-references', '--name', 'scanned', loose);
}

function storeEntries(): string[] {
  return readdirSync(join(home, 'store'))
    .filter((name) => !name.startsWith('.'))
    .map((name) => join(home, 'store', name))
    .sort();
}

/** What recovery must give back: the profiles, their generations, the store's records (but their times), what gc would delete. */
async function observable() {
  const infos = await okJson<StoreInfo[]>(cli, 'store', 'info', ...storeEntries());
  return {
    profiles: await okJson<unknown>(cli, 'profile', 'list'),
    work: await okJson<unknown>(cli, '-p', 'work', 'profile', 'list'),
    generations: await okJson<unknown>(cli, 'profile', 'list-generations'),
    workGenerations: await okJson<unknown>(cli, '-p', 'work', 'profile', 'list-generations'),
    store: infos.map(({ registrationTime: _, ...info }) => info),
    gc: (await okJson<{ deleted: string[] }>(cli, 'gc', '--dry-run')).deleted,
  };
}

/** Writes `<home>/ledger-head.json` for the log as it is now: `{"seq":N,"hash":"<hash of log entry N>"}`. */
async function writeHeadFile(): Promise<{ seq: number; hash: string }> {
  let prev: string | null = null;
  let seq = 0;
  for (const event of await readLog(cli)) {
    prev = logEntryHash({ seq: event.seq, stream: event.stream, version: event.version, eventHash: event.hash, prev });
    seq = event.seq;
  }
  const head = { seq, hash: prev ?? '' };
  writeFileSync(join(home, 'ledger-head.json'), JSON.stringify(head));
  return head;
}

async function recover(...args: string[]): Promise<RecoveryJson> {
  return okJson<RecoveryJson>(cli, 'recover', ...args);
}

async function expectVerifyClean(): Promise<void> {
  const result = await cli('verify', '--json');
  expect(JSON.parse(result.stdout).problems).toEqual([]);
  expect(result.code).toBe(0);
}

describe('recover after the database directory was deleted', () => {
  it('rebuilds the profiles from their links and the store registry from disk; gc then deletes only what it would have', async () => {
    await buildHome();
    const before = await observable();
    const head = JSON.parse(readFileSync(join(home, 'ledger-head.json'), 'utf8')) as { seq: number; hash: string };
    rmSync(join(home, 'db'), { recursive: true });

    const report = await recover();

    expect(report.reason).toBe('the database is missing');
    expect(report.setAside).toEqual({ db: null, headFile: expect.stringMatching(/ledger-head\.json\.damaged-/) });
    expect(report.before).toEqual(head);
    // Nothing came back from a backup or bundle: every event is gone; the profiles are rebuilt from disk.
    expect(report.lost).toEqual({ events: head.seq, seqs: [1, head.seq] });
    expect(report.profiles.rebuiltFromDisk).toEqual(['profile', 'work']);
    expect(report.store.reregistered).toBe(storeEntries().length);
    expect(JSON.parse(readFileSync(join(home, 'ledger-head.json'), 'utf8'))).toEqual(report.after);
    expect(await observable()).toEqual(before);
    const events = await readLog(cli);
    expect(events.map((event) => event.type)).toEqual(['GenerationImported', 'GenerationImported', 'GenerationImported', 'ProfileImported', 'GenerationImported', 'ProfileImported']);
    expect(events.every((event) => (event as { reason?: string }).reason === 'recovered from disk after the database was lost')).toBe(true);
    await expectVerifyClean();

    const gc = await okJson<{ deleted: string[] }>(cli, 'gc');
    expect(gc.deleted).toEqual(before.gc);
    await expectVerifyClean();
    expect((await ok(cli, 'profile', 'rollback')).code).toBe(0);
    expect((await okJson<{ generation: number }>(cli, 'profile', 'list')).generation).toBe(2);
  });

  it('takes every event back from a bundle exported before the loss and reports nothing lost', async () => {
    // A bundle holds the profile streams; the bookkeeping of `root add` (the roots stream) is not exported, so its event would be lost.
    await buildHome({ root: false });
    const bundle = join(scratch.dir, 'bundle');
    await ok(cli, 'export', '--to', bundle, '--with-store');
    const head = await writeHeadFile();
    const ids = (await readLog(cli)).map((event) => event.id).sort();
    const before = await observable();
    rmSync(join(home, 'db'), { recursive: true });

    const report = await recover('--from-bundle', bundle);

    expect(report.before).toEqual(head);
    expect(report.lost).toEqual({ events: 0, seqs: null });
    expect(report.profiles).toEqual({ fromSources: ['profile', 'work'], rebuiltFromDisk: [], changedOnDisk: [] });
    expect(report.setAside.headFile).toMatch(/ledger-head\.json\.damaged-\d{8}T\d{6}Z$/);
    expect(await observable()).toEqual(before);
    expect((await readLog(cli)).map((event) => event.id).sort()).toEqual(ids);
    expect(report.recovered.events).toBe(ids.length);
    await expectVerifyClean();
  });
});

describe('recover from a backup of the database', () => {
  it('brings back the events the backup had, reports the ones after it as lost, and records what the disk shows since', async () => {
    await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
    await ok(cli, 'profile', 'install', `${catalogPath}#hello`);
    const backup = join(scratch.dir, 'backup');
    cpSync(join(home, 'db'), backup, { recursive: true });
    const backupBytes = readdirSync(backup).map((name) => [name, readFileSync(join(backup, name)).toString('base64')]);
    await ok(cli, 'profile', 'remove', 'greet');
    await ok(cli, 'profile', 'rollback');
    expect((await readLog(cli)).length).toBe(5);
    await writeHeadFile();
    const before = (await readLog(cli)).slice(0, 3);
    rmSync(join(home, 'db'), { recursive: true });

    const report = await recover('--from-backup', backup);

    expect(report.recovered).toEqual({ events: 3, sources: [{ kind: 'backup', dir: backup, events: 3 }] });
    expect(report.lost).toEqual({ events: 2, seqs: [4, 5] });
    expect(report.headMatches).toBe(false);
    expect(report.profiles).toEqual({ fromSources: ['profile'], rebuiltFromDisk: [], changedOnDisk: ['profile'] });
    const after = await readLog(cli);
    expect(after.slice(0, 3)).toEqual(before);
    expect(after.slice(3).map((event) => event.type)).toEqual(['ExternalChangeObserved']);
    const generations = await okJson<{ generations: Array<{ generation: number; current: boolean }> }>(cli, 'profile', 'list-generations');
    expect(generations.generations.map(({ generation, current }) => ({ generation, current }))).toEqual([
      { generation: 1, current: false },
      { generation: 2, current: true },
      { generation: 3, current: false },
    ]);
    expect(readdirSync(backup).map((name) => [name, readFileSync(join(backup, name)).toString('base64')])).toEqual(backupBytes);
    await expectVerifyClean();
    const text = await ok(cli, 'recover', '--force', '--from-backup', backup);
    expect(text.stdout).toMatch(/the ledger had 4 events; recovered 3 from backups and bundles; lost 1 events \(seq 4\.\.4\)/);
  });
});

describe('what recover moves, refuses and puts back', () => {
  it('moves a damaged database (garbage in CURRENT) aside, byte for byte', async () => {
    await buildHome();
    writeFileSync(join(home, 'db', 'CURRENT'), 'garbage\n');
    const damaged = Object.fromEntries(readdirSync(join(home, 'db')).map((name) => [name, readFileSync(join(home, 'db', name)).toString('base64')]));

    const report = await recover();

    expect(report.reason).toMatch(/^the database cannot be opened/);
    expect(report.setAside.db).toMatch(/\/db\.damaged-\d{8}T\d{6}Z$/);
    const moved = report.setAside.db ?? '';
    expect(Object.fromEntries(readdirSync(moved).map((name) => [name, readFileSync(join(moved, name)).toString('base64')]))).toEqual(damaged);
    expect(report.profiles.rebuiltFromDisk).toEqual(['profile', 'work']);
    await expectVerifyClean();
  });

  it('refuses a healthy home unless forced, and then keeps the old database', async () => {
    await buildHome();
    await writeHeadFile();
    const refusedRun = await cli('recover');
    expect(refusedRun.code).toBe(1);
    expect(refusedRun.stderr).toMatch(/^genledger: nothing to recover: the database of .* opens, its log verifies and matches ledger-head\.json\nhint: /);
    expect(readdirSync(home).filter((name) => name.includes('damaged'))).toEqual([]);

    const forced = await recover('--force');
    expect(forced.reason).toBe('forced');
    expect(existsSync(forced.setAside.db ?? '')).toBe(true);
    await expectVerifyClean();
  });

  it('puts the damaged state back when a source cannot be read, and names the source', async () => {
    await buildHome();
    writeFileSync(join(home, 'db', 'CURRENT'), 'garbage\n');
    const notABundle = join(scratch.dir, 'not-a-bundle');
    mkdirSync(notABundle);
    const names = readdirSync(home).sort();

    const result = await cli('recover', '--from-bundle', notABundle);

    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^genledger: .*not-a-bundle is not a genledger bundle/);
    expect(readdirSync(home).sort()).toEqual(names);
    expect(readFileSync(join(home, 'db', 'CURRENT'), 'utf8')).toBe('garbage\n');
  });

  it('exits 1 before moving anything for a source that is not a directory, and 2 for a usage error', async () => {
    await buildHome();
    rmSync(join(home, 'db'), { recursive: true });
    const missing = await spawnCli(home, ['recover', '--from-backup', join(scratch.dir, 'nowhere')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^genledger: cannot recover from the backup .*nowhere: it does not exist\nhint: /);
    expect(existsSync(join(home, 'db'))).toBe(false);
    const usage = await spawnCli(home, ['recover', '--from-nowhere']);
    expect(usage.status).toBe(2);
  });
});
