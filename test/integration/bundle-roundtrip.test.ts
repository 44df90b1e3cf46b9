import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/ledger/canonical-json.js';
import { catalog, homeState, jsonOf, makeStoreHome, snapshotTree } from './bundle-fixtures.js';
import type { StoreHome } from './bundle-fixtures.js';

interface LogEntry {
  seq: number;
  id: string;
  stream: string;
  version: number;
  type: string;
  at: string;
  actor: { user: string; host: string };
  hash: string;
}

describe('reconstructing profiles on another machine with export and import', () => {
  let a: StoreHome;
  let b: StoreHome;
  let bundles: string;

  const profiles = (home: StoreHome) => snapshotTree(join(home.home, 'profiles'));
  /** The current generation's profile store path, read through the chroot root. */
  const profilePath = (home: StoreHome, name: string) => readlinkSync(join(home.home, 'profiles', readlinkSync(join(home.home, 'profiles', name))));
  const manifestOf = (home: StoreHome, name: string) => readFileSync(join(home.root, profilePath(home, name), 'manifest.json'));

  beforeAll(async () => {
    bundles = mkdtempSync(join(tmpdir(), 'genledger-bundles-'));
    a = makeStoreHome({ start: '2026-01-10T08:00:00Z', actor: { user: 'alice', uid: 1000, host: 'host-a' } });
    b = makeStoreHome({ start: '2026-03-20T17:00:00Z', actor: { user: 'bob', uid: 1001, host: 'host-b' } });
    await a.ok('profile', 'install', `${catalog}#hello`);
    await a.ok('profile', 'install', `${catalog}#greet`, '-m', 'for the demo');
    await a.ok('profile', 'remove', 'hello');
    await a.ok('profile', 'rollback');
    await a.ok('profile', 'install', `${catalog}#figlet-lite`);
    await a.ok('profile', 'delete-generations', '1');
    await a.ok('-p', 'work', 'profile', 'install', `${catalog}#greet`);
    await a.ok('export', '--to', join(bundles, 'one'), '--with-store');
  });

  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
    rmSync(bundles, { recursive: true, force: true });
  });

  it('writes one NDJSON file per stream, events exactly as stored, and a header naming their heads', async () => {
    const header = JSON.parse(readFileSync(join(bundles, 'one', 'bundle.json'), 'utf8'));
    expect(header).toMatchObject({ format: 'genledger-bundle', version: 1, origin: { host: 'host-a', user: 'alice' }, storeDir: '/nix/store', store: { cache: 'cache', missing: [] } });
    expect(readdirSync(join(bundles, 'one', 'streams')).sort()).toEqual(['profile.ndjson', 'work.ndjson']);
    const log = jsonOf<LogEntry[]>(await a.ok('log', '--json'));
    for (const entry of header.streams) {
      const stored = log.filter((event) => event.stream === entry.stream).map(({ seq: _seq, ...event }) => event);
      const lines = readFileSync(join(bundles, 'one', 'streams', entry.file), 'utf8').split('\n');
      expect(lines.pop()).toBe('');
      expect(lines).toEqual(stored.map((event) => canonicalJson(event)));
      expect(entry.version).toBe(lines.length);
      expect(entry.hash).toBe(stored[stored.length - 1]?.hash);
    }
  });

  it('gives the other home byte-identical links, manifests and profile store paths, with the origin actors and times', async () => {
    const imported = jsonOf<{ upToDate: boolean; streams: Array<{ stream: string; from: number; to: number }>; substituted: unknown[] }>(await b.ok('import', join(bundles, 'one'), '--json'));
    expect(imported.upToDate).toBe(false);
    expect(imported.streams.map((s) => [s.stream, s.from])).toEqual([
      ['profile', 0],
      ['work', 0],
    ]);
    expect(imported.substituted.length).toBeGreaterThan(0);

    expect(profiles(b)).toEqual(profiles(a));
    expect(manifestOf(b, 'profile').equals(manifestOf(a, 'profile'))).toBe(true);
    expect(manifestOf(b, 'work').equals(manifestOf(a, 'work'))).toBe(true);
    expect(readlinkSync(join(b.home, 'profiles', 'profile'))).toBe('profile-4-link');
    expect(profilePath(b, 'profile')).toBe(profilePath(a, 'profile'));
    const script = readlinkSync(join(b.root, profilePath(b, 'profile'), 'bin', 'figlet-lite'));
    expect(readFileSync(join(b.root, script), 'utf8')).toMatch(/^#!/);

    const logA = jsonOf<LogEntry[]>(await a.ok('log', '--json'));
    const logB = jsonOf<LogEntry[]>(await b.ok('log', '--json'));
    const strip = (log: LogEntry[]) => log.map(({ seq: _seq, ...event }) => event).sort((x, y) => (x.stream + x.version).localeCompare(y.stream + y.version));
    expect(strip(logB)).toEqual(strip(logA));
    expect(logB.every((event) => event.actor.user === 'alice' && event.actor.host === 'host-a')).toBe(true);
    expect(logB[0]?.at.startsWith('2026-01-10')).toBe(true);
    expect((await b.cli('verify')).code).toBe(0);
  });

  it('changes nothing when the same bundle is imported again', async () => {
    const before = await homeState(b);
    const again = await b.ok('import', join(bundles, 'one'));
    expect(again.stderr).toMatch(/already up to date/);
    expect(jsonOf<{ upToDate: boolean }>(await b.ok('import', join(bundles, 'one'), '--json')).upToDate).toBe(true);
    expect(await homeState(b)).toEqual(before);
  });

  it('appends only the new events when the origin moves on and exports again', async () => {
    const before = jsonOf<LogEntry[]>(await b.ok('log', '--json')).length;
    await a.ok('profile', 'remove', 'greet');
    await a.ok('export', '--to', join(bundles, 'one'), '--with-store');
    const imported = jsonOf<{ streams: Array<{ stream: string; from: number; to: number; events: string[] }> }>(await b.ok('import', join(bundles, 'one'), '--json'));
    expect(imported.streams.find((s) => s.stream === 'profile')).toMatchObject({ from: 7, to: 8, events: ['PackagesRemoved'] });
    expect(imported.streams.find((s) => s.stream === 'work')?.events).toEqual([]);
    expect(jsonOf<LogEntry[]>(await b.ok('log', '--json'))).toHaveLength(before + 1);
    expect(profiles(b)).toEqual(profiles(a));
  });
});
