/**
 * Hostile and impossible input to `import` and `import-nix`, each a
 * reproduced bug: forged events (resealed, so only the event gate can
 * refuse them), stream names that are not profiles, generation links the
 * ledger does not know, profile link slots holding a file, FIFOs and
 * devices where files are read, a decompression bomb, and a cache that
 * drops a content-addressed path's CA line. Each refusal is one line with
 * its documented exit status and code, no stack, and the importing home
 * byte for byte as it was; the FIFO and device cases run a spawned CLI
 * that must fail fast rather than hang while it holds the lock.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogPath, inProcessCli, ok, spawnCli } from './cli-runners.js';
import type { InProcessCli } from './cli-runners.js';
import { readBundleEvents, writeResealed } from './bundle-editing.js';
import type { EventRecord } from './bundle-editing.js';
import { readLog, snapshotTree } from './home-inspection.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';
import { generationLink, handStore, profileLink } from '../integration/nix-profile-fixture.js';

interface Importer {
  readonly dir: string;
  readonly storeArgs: readonly string[];
  readonly cli: InProcessCli;
}

let scratch: Scratch;
let pristine: string;
let importer: Importer;
let serial = 0;

function chrootHome(dir: string): Importer {
  const storeArgs = ['--store-dir', '/nix/store', '--store-root', join(dir, 'root')];
  return { dir, storeArgs, cli: inProcessCli(join(dir, 'home'), { globalArgs: storeArgs }) };
}

async function stateOf(target: Importer): Promise<{ files: Map<string, string>; log: string }> {
  const log = (await ok(target.cli, 'log', '--json')).stdout;
  return { files: snapshotTree(target.dir, (path) => path === 'home/db' || path.startsWith('home/db/')), log };
}

/** A copy of the pristine bundle to damage. */
function bundleCopy(): string {
  const dir = join(scratch.dir, `case-${serial++}`);
  cpSync(pristine, dir, { recursive: true });
  return dir;
}

function expectOneLine(stderr: string, what: string): void {
  const [fact = '', ...rest] = stderr.trimEnd().split('\n');
  expect(fact, what).toMatch(/^genledger: /);
  expect(rest.every((line) => line.startsWith('hint: ')), `${what}: ${stderr}`).toBe(true);
  expect(stderr, what).not.toMatch(/internal error|\n\s+at /);
}

/** Imports `bundle` (with `extra` options), expects exit `code` and `errorCode`, and the home unchanged. */
async function expectRefusedImport(bundle: string, code: number, errorCode: string, what: string, extra: readonly string[] = []): Promise<string> {
  const before = await stateOf(importer);
  const result = await importer.cli('import', bundle, ...extra);
  expect(result.code, `${what}: ${result.stderr}`).toBe(code);
  expectOneLine(result.stderr, what);
  const json = await importer.cli('--json', 'import', bundle, ...extra);
  expect((JSON.parse(json.stderr) as { error: { code: string } }).error.code, what).toBe(errorCode);
  expect(await stateOf(importer), `${what}: the home is unchanged`).toEqual(before);
  expect((await importer.cli('verify')).code, what).toBe(0);
  return result.stderr;
}

function narinfoNamed(bundle: string, pattern: RegExp): { file: string; text: string } {
  const cache = join(bundle, 'cache');
  for (const name of readdirSync(cache).filter((entry) => entry.endsWith('.narinfo'))) {
    const text = readFileSync(join(cache, name), 'utf8');
    if (pattern.test(/^StorePath: (.*)$/m.exec(text)?.[1] ?? '')) return { file: join(cache, name), text };
  }
  throw new Error(`no narinfo for ${pattern}`);
}

const field = (text: string, name: string): string => new RegExp(`^${name}: (.*)$`, 'm').exec(text)?.[1] ?? '';

beforeAll(async () => {
  scratch = makeScratch('hostile-input');
  const exporter = chrootHome(join(scratch.dir, 'exporter'));
  await ok(exporter.cli, 'profile', 'install', `${catalogPath}#hello`, `${catalogPath}#greet`);
  await ok(exporter.cli, 'profile', 'remove', 'greet');
  pristine = join(scratch.dir, 'pristine');
  await ok(exporter.cli, 'export', '--to', pristine, '--with-store');
  importer = chrootHome(join(scratch.dir, 'importer'));
  await ok(importer.cli, '-p', 'mine', 'profile', 'install', `${catalogPath}#figlet-lite`);
});
afterAll(() => scratch?.cleanup());

const generationEvent = (events: EventRecord[]) => events.find((event) => typeof (event.data as { generation?: unknown }).generation === 'number') as EventRecord & { data: Record<string, unknown> };

describe('forged events in an unsigned bundle are refused before anything is written (exit 4, GENLEDGER_INVALID_EVENT)', () => {
  const forgeries: ReadonlyArray<[string, (events: EventRecord[]) => EventRecord[] | void, string?]> = [
    ['generation -5', (events) => void (generationEvent(events).data.generation = -5)],
    ['generation 1.5', (events) => void (generationEvent(events).data.generation = 1.5)],
    ['generation as a string', (events) => void (generationEvent(events).data.generation = '2')],
    ['storePaths as a string', (events) => {
      const installed = (events.find((event) => event.type === 'PackagesInstalled')?.data as { installed: Array<Record<string, unknown>> }).installed;
      installed[0] = { ...installed[0], storePaths: '/nix/store/00000000000000000000000000000000-x' };
    }],
    ['a switch to a generation that does not exist', (events) => {
      const last = events[events.length - 1] as EventRecord;
      return [...events, { ...last, id: 'forged-switch', type: 'GenerationSwitched', v: 1, data: { from: 2, to: 99, how: 'switch' } } as EventRecord];
    }],
    ['a malformed sig', (events) => void ((events[events.length - 1] as EventRecord).sig = 'key:not-base64')],
    ['a year-9999 time', (events) => void ((events[events.length - 1] as EventRecord).at = '9999-01-01T00:00:00.000Z')],
    ['a time before 1970', (events) => void ((events[events.length - 1] as EventRecord).at = '1969-12-31T23:59:59.000Z')],
    ['every generation numbered 1', (events) => {
      for (const event of events) if (typeof (event.data as { generation?: unknown }).generation === 'number') (event.data as { generation: number }).generation = 1;
    }],
    ['manifestVersion 9', (events) => void (generationEvent(events).data.manifestVersion = 9)],
    ['an unknown data field', (events) => void (generationEvent(events).data.extra = true)],
    ['a patch that makes an impossible manifest', (events) => void (generationEvent(events).data.patch = [{ op: 'add', path: '/elements', value: [{ name: 'x', active: 'yes', priority: 5, storePaths: [] }] }])],
    ['a patch that does not apply', (events) => void (generationEvent(events).data.patch = [{ op: 'replace', path: '/elements/7/name', value: 'x' }])],
    ['a stream named system', () => undefined, 'system'],
    ['a profile stream named gc', () => undefined, 'gc'],
    ['a profile stream named roots', () => undefined, 'roots'],
  ];

  it.each(forgeries)('%s', async (what, forge, renameTo) => {
    const bundle = bundleCopy();
    const events = readBundleEvents(bundle, 'profile');
    writeResealed(bundle, 'profile', forge(events) ?? events, renameTo);
    const stderr = await expectRefusedImport(bundle, 4, 'GENLEDGER_INVALID_EVENT', what);
    expect(stderr).toMatch(/^genledger: event \d+ of '[a-z]+' is invalid: /);
  });

  it('event data nested 5,000 deep is refused by its text, before any recursion', async () => {
    const bundle = bundleCopy();
    const file = join(bundle, 'streams', 'profile.ndjson');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[0] = (lines[0] ?? '').replace('"data":{', `"data":{"deep":${'['.repeat(5000)}${']'.repeat(5000)},`);
    writeFileSync(file, lines.join('\n'));
    await expectRefusedImport(bundle, 4, 'GENLEDGER_INVALID_EVENT', 'deep nesting');
  });
});

describe('import keeps the rules profile commands keep', () => {
  it('never overwrites a generation link the ledger does not know (exit 1, GENLEDGER_UNKNOWN_GENERATION_LINK)', async () => {
    const profiles = join(importer.dir, 'home', 'profiles');
    symlinkSync('/nix/store/00000000000000000000000000000000-made-by-nix', join(profiles, 'profile-1-link'));
    try {
      await expectRefusedImport(pristine, 1, 'GENLEDGER_UNKNOWN_GENERATION_LINK', 'stray generation link');
    } finally {
      rmSync(join(profiles, 'profile-1-link'));
    }
  });

  it('with --allow-external, refuses a profile whose link slot holds a regular file before writing any event or link', async () => {
    const outside = join(scratch.dir, 'outside');
    const profile = join(outside, 'prof');
    const exporter = chrootHome(join(scratch.dir, 'external-exporter'));
    await ok(exporter.cli, '-p', profile, 'profile', 'install', `${catalogPath}#hello`);
    const bundle = join(scratch.dir, 'external-bundle');
    await ok(exporter.cli, '-p', profile, 'export', '--to', bundle, '--with-store');
    rmSync(outside, { recursive: true });
    mkdirSync(outside);
    writeFileSync(profile, 'a file of the user\n');
    await expectRefusedImport(bundle, 1, 'GENLEDGER_PROFILE_PATH_TAKEN', 'file in the link slot', ['--allow-external']);
    expect(readdirSync(outside)).toEqual(['prof']);
    expect(readFileSync(profile, 'utf8')).toBe('a file of the user\n');
  });
});

describe('store paths from a bundle', () => {
  it('refuses a small xz NAR that expands beyond the NarSize its narinfo declares, writing nothing (exit 4)', async () => {
    const bundle = bundleCopy();
    const { file, text } = narinfoNamed(bundle, /-hello/);
    const bomb = join(bundle, 'cache', 'nar', 'bomb.nar.xz');
    execFileSync('sh', ['-c', `head -c 67108864 /dev/zero | xz -0 -c > '${bomb}'`]);
    const edited = text
      .replace(/^URL: .*$/m, 'URL: nar/bomb.nar.xz')
      .replace(/^Compression: .*$/m, 'Compression: xz')
      .replace(/^FileHash: .*\n/m, '')
      .replace(/^FileSize: .*\n/m, '');
    writeFileSync(file, edited);
    const stderr = await expectRefusedImport(bundle, 4, 'GENLEDGER_NAR_HASH_MISMATCH', 'xz bomb');
    expect(stderr).toMatch(/larger than its NarSize/);
  });

  it('refuses a content-addressed path whose narinfo lost its CA line and carries other contents (exit 4)', async () => {
    const bundle = bundleCopy();
    const hello = narinfoNamed(bundle, /-hello/);
    const other = narinfoNamed(bundle, /-greet/);
    expect(field(hello.text, 'CA')).not.toBe('');
    const forged = hello.text
      .replace(/^CA: .*\n/m, '')
      .replace(/^URL: .*$/m, `URL: ${field(other.text, 'URL')}`)
      .replace(/^Compression: .*$/m, `Compression: ${field(other.text, 'Compression')}`)
      .replace(/^FileHash: .*$/m, `FileHash: ${field(other.text, 'FileHash')}`)
      .replace(/^FileSize: .*$/m, `FileSize: ${field(other.text, 'FileSize')}`)
      .replace(/^NarHash: .*$/m, `NarHash: ${field(other.text, 'NarHash')}`)
      .replace(/^NarSize: .*$/m, `NarSize: ${field(other.text, 'NarSize')}`);
    writeFileSync(hello.file, forged);
    const stderr = await expectRefusedImport(bundle, 4, 'GENLEDGER_SUBSTITUTE_FAILED', 'CA line removed');
    expect(stderr).toMatch(/no CA line/);
  });
});

describe('no file can hang a command that holds the lock (spawned, bounded)', () => {
  const TIMEOUT_MS = 30_000;

  async function expectFastRefusal(args: readonly string[], what: string, home = join(importer.dir, 'home')): Promise<void> {
    const before = await stateOf(importer);
    const result = await spawnCli(home, args, { timeoutMs: TIMEOUT_MS });
    expect(result.signal, `${what}: it must not hang`).toBeNull();
    expect([1, 2, 4], `${what}: exit ${result.status}: ${result.stderr}`).toContain(result.status);
    expectOneLine(result.stderr, what);
    expect(await stateOf(importer), `${what}: the home is unchanged`).toEqual(before);
  }

  const replaceWith = (path: string, kind: 'fifo' | 'dev-zero') => {
    rmSync(path);
    if (kind === 'fifo') execFileSync('mkfifo', [path]);
    else symlinkSync('/dev/zero', path);
  };

  it.each([
    ['a FIFO as a narinfo', 'narinfo', 'fifo'],
    ['/dev/zero as a narinfo', 'narinfo', 'dev-zero'],
    ['a FIFO as nix-cache-info', 'cache-info', 'fifo'],
    ['/dev/zero as nix-cache-info', 'cache-info', 'dev-zero'],
    ['a FIFO as a NAR', 'nar', 'fifo'],
    ['/dev/zero as a NAR', 'nar', 'dev-zero'],
    ['a FIFO as the stream file', 'stream', 'fifo'],
  ] as const)('import: %s', async (what, where, kind) => {
    const bundle = bundleCopy();
    const hello = narinfoNamed(bundle, /-hello/);
    const path =
      where === 'narinfo' ? hello.file
      : where === 'cache-info' ? join(bundle, 'cache', 'nix-cache-info')
      : where === 'nar' ? join(bundle, 'cache', field(hello.text, 'URL'))
      : join(bundle, 'streams', 'profile.ndjson');
    replaceWith(path, kind);
    await expectFastRefusal([...importer.storeArgs, 'import', bundle], what);
  });

  it.each([['a FIFO', 'fifo'], ['a link to /dev/zero', 'dev-zero']] as const)('import-nix: %s as manifest.nix', async (what, kind) => {
    const dir = join(scratch.dir, `nix-${serial++}`);
    const store = handStore(dir);
    const environment = join(store.storeDir, 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-user-environment');
    mkdirSync(environment);
    if (kind === 'fifo') execFileSync('mkfifo', [join(environment, 'manifest.nix')]);
    else symlinkSync('/dev/zero', join(environment, 'manifest.nix'));
    const profiles = join(dir, 'profiles');
    generationLink(profiles, 'nixprof', 1, environment, 1_750_000_000);
    profileLink(profiles, 'nixprof', 1, 1_750_000_000);
    const home = join(dir, 'home');
    const result = await spawnCli(home, ['--store-dir', store.storeDir, '--store-root', join(dir, 'root'), 'import-nix', join(profiles, 'nixprof')], { timeoutMs: TIMEOUT_MS });
    expect(result.signal, `${what}: it must not hang`).toBeNull();
    expect([1, 2, 4], `${what}: exit ${result.status}: ${result.stderr}`).toContain(result.status);
    expectOneLine(result.stderr, what);
    expect(await readLog(inProcessCli(home))).toEqual([]);
  });
});

describe('a home that already holds invalid events (written by an older genledger)', () => {
  it('is reported by verify as invalid-event (exit 4), and quarantine sets the invalid suffix aside so the rest works', async () => {
    const bundle = bundleCopy();
    const events = readBundleEvents(bundle, 'profile');
    generationEvent(events).data.manifestVersion = 9;
    writeResealed(bundle, 'profile', events);
    const forged = readBundleEvents(bundle, 'profile');
    const target = chrootHome(join(scratch.dir, 'older-home'));
    // A gc creates the home, empty: a read command no longer does.
    await ok(target.cli, 'gc');
    const { openDatabase } = await import('../../src/ledger/database.js');
    const { createLevelLedger } = await import('../../src/ledger/level-ledger.js');
    const { committingTo, ledgerHeadFile } = await import('../../src/ledger/ledger-head-file.js');
    const database = await openDatabase({ dir: join(target.dir, 'home', 'db'), lockTimeoutMs: 1000, holder: { pid: process.pid, user: 'test', command: 'test', since: new Date().toISOString() } });
    try {
      // As an older genledger committed it: through the ledger head file, so the next command does not take it for an unfinished append.
      await createLevelLedger(database.db, { commit: committingTo(ledgerHeadFile(join(target.dir, 'home'))) }).importEvents('profile', forged);
    } finally {
      await database.close();
    }
    const result = await target.cli('--json', 'verify');
    expect(result.code, result.stderr).toBe(4);
    const report = JSON.parse(result.stdout) as { problems: Array<{ kind: string; stream?: string; message: string }> };
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'invalid-event', stream: 'profile', message: expect.stringMatching(/^event \d+ of 'profile' is invalid: manifestVersion/) }));

    const invalidFrom = forged.findIndex((event) => (event.data as { manifestVersion?: unknown }).manifestVersion === 9) + 1;
    const quarantined = await target.cli('--json', 'quarantine', 'add', 'profile');
    expect(quarantined.code, quarantined.stderr).toBe(0);
    const versions = forged.map((event) => event.version).filter((version) => version >= invalidFrom);
    expect((JSON.parse(quarantined.stdout) as { quarantined: Array<{ version: number }> }).quarantined.map((entry) => entry.version)).toEqual(versions);
    const listed = JSON.parse((await ok(target.cli, '--json', 'quarantine', 'list')).stdout) as Array<{ stream: string; version: number; hash: string }>;
    expect(listed.map((entry) => [entry.stream, entry.version, entry.hash])).toEqual(forged.filter((event) => event.version >= invalidFrom).map((event) => ['profile', event.version, event.hash]));
    expect((await target.cli('verify')).code).toBe(0);
    expect((await target.cli('quarantine', 'add', 'profile')).code).toBe(1);

    // The rest of the home works: the profile takes new events after the quarantined ones, and both chains still verify.
    await ok(target.cli, 'profile', 'install', `${catalogPath}#hello`);
    await ok(target.cli, 'profile', 'list-generations');
    expect((await target.cli('verify')).code).toBe(0);
    await ok(target.cli, 'replay');
    const log = JSON.parse((await ok(target.cli, 'log', '--json')).stdout) as Array<{ type: string; version: number }>;
    expect(log.filter((event) => event.type === 'EventQuarantined').map((event) => event.version)).toEqual(versions);
    expect(log.at(-1)?.version).toBe(forged.length + 1);
  });
});
