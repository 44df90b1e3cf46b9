/**
 * `genledger fleet pull` through the real CLI against a real PostgreSQL
 * cluster: a host pushed from one home is reconstructed in a fresh home
 * with a fresh store, byte for byte as `import` does from a bundle (links,
 * targets, mtimes, manifests, profile paths), store paths fetched from a
 * file:// binary cache; `-p` selects one profile; pulling again changes
 * nothing; an event altered or deleted in the database, or an unknown
 * host, is refused with no home left behind; and the whole round trip of
 * one `fleet push --to … --cache …` and a pull from that cache.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { catalog, homeState, jsonOf, makeStoreHome, snapshotTree } from '../integration/bundle-fixtures.js';
import type { StoreHome } from '../integration/bundle-fixtures.js';
import { postgresMissing, startCluster } from './postgres-cluster.js';
import type { PostgresCluster } from './postgres-cluster.js';

if (postgresMissing !== null) console.warn(`skipping the fleet pull tests: ${postgresMissing}`);

interface PullJson {
  db: string;
  host: string;
  lastPush: string;
  upToDate: boolean;
  streams: Array<{ stream: string; from: number; to: number; events: string[]; generation: number | null }>;
  substituted: Array<{ path: string; cache: string }>;
}

describe.skipIf(postgresMissing !== null)('genledger fleet pull', () => {
  let cluster: PostgresCluster;
  let scratch: string;
  let origin: StoreHome;
  let db: string;
  let cache: string;
  const fresh: StoreHome[] = [];

  /** A fresh machine: a new home and a new, empty store, its clock after the origin's. */
  const newHome = () => {
    const home = makeStoreHome({ start: '2026-03-20T17:00:00Z', actor: { user: 'alice', uid: 1000, host: 'host-b' } });
    fresh.push(home);
    return home;
  };
  const profiles = (home: StoreHome) => snapshotTree(join(home.home, 'profiles'));
  const profilePath = (home: StoreHome, name: string) => readlinkSync(join(home.home, 'profiles', readlinkSync(join(home.home, 'profiles', name))));
  const manifestOf = (home: StoreHome, name: string) => readFileSync(join(home.root, profilePath(home, name), 'manifest.json'));

  /** A database holding the origin's events as host 'alpha'. */
  async function pushedDatabase(): Promise<string> {
    const url = await cluster.database();
    await origin.ok('fleet', 'init', '--db', url);
    await origin.ok('fleet', 'push', '--to', url, '--host', 'alpha');
    return url;
  }

  beforeAll(async () => {
    cluster = await startCluster();
    scratch = mkdtempSync(join(tmpdir(), 'genledger-fleet-pull-'));
    origin = makeStoreHome({ start: '2026-01-10T08:00:00Z', actor: { user: 'alice', uid: 1000, host: 'host-a' } });
    await origin.ok('profile', 'install', `${catalog}#hello`);
    await origin.ok('profile', 'install', `${catalog}#greet`, '-m', 'for the demo');
    await origin.ok('profile', 'remove', 'hello');
    await origin.ok('profile', 'rollback');
    await origin.ok('profile', 'install', `${catalog}#figlet-lite`);
    await origin.ok('profile', 'delete-generations', '1');
    await origin.ok('-p', 'work', 'profile', 'install', `${catalog}#greet`);
    // The store closure as a file:// binary cache, the way export writes one.
    await origin.ok('export', '--to', join(scratch, 'bundle'), '--with-store');
    cache = `file://${join(scratch, 'bundle', 'cache')}`;
    db = await pushedDatabase();
  }, 120_000);

  afterEach(() => {
    for (const home of fresh.splice(0)) home.cleanup();
  });

  afterAll(() => {
    cluster?.stop();
    origin?.cleanup();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  it('reconstructs a host from what one fleet push --to … --cache … sent: the events to the database, the closures to the cache', async () => {
    const url = await cluster.database();
    await origin.ok('fleet', 'init', '--db', url);
    await origin.ok('key', 'generate', 'host-a-1', '--dir', scratch);
    const shared = join(scratch, 'shared-cache');
    const pushed = jsonOf<{ pushed: number; cache: { uploaded: number; missing: string[] } }>(
      await origin.ok('fleet', 'push', '--to', url, '--host', 'gamma', '--cache', `file://${shared}`, '--sign-key', join(scratch, 'host-a-1.sec'), '--json'),
    );
    expect(pushed.pushed).toBeGreaterThan(0);
    expect(pushed.cache.uploaded).toBeGreaterThan(0);
    expect(pushed.cache.missing).toEqual([]);
    const b = newHome();
    await b.ok('fleet', 'pull', '--host', 'gamma', '--from', url, '--substituter', `file://${shared}`);
    expect(profiles(b)).toEqual(profiles(origin));
    for (const name of ['profile', 'work']) expect(manifestOf(b, name).equals(manifestOf(origin, name))).toBe(true);
    expect((await b.ok('verify')).code).toBe(0);
  });

  it("gives a fresh machine the host's generations byte for byte; pulling again changes nothing", async () => {
    const b = newHome();
    const pulled = jsonOf<PullJson>(await b.ok('fleet', 'pull', '--host', 'alpha', '--from', db, '--substituter', cache, '--json'));
    expect(pulled).toMatchObject({ db, host: 'alpha', upToDate: false });
    expect(Number.isNaN(Date.parse(pulled.lastPush))).toBe(false);
    expect(pulled.streams.map((s) => [s.stream, s.from, s.generation])).toEqual([
      ['profile', 0, 4],
      ['work', 0, 1],
    ]);
    expect(pulled.substituted.length).toBeGreaterThan(0);
    expect(pulled.substituted.every((step) => step.cache === cache)).toBe(true);

    expect(profiles(b)).toEqual(profiles(origin));
    for (const name of ['profile', 'work']) {
      expect(profilePath(b, name)).toBe(profilePath(origin, name));
      expect(manifestOf(b, name).equals(manifestOf(origin, name))).toBe(true);
    }
    expect((await b.ok('log', '--json')).stdout).toBe((await origin.ok('log', '--json')).stdout);
    expect((await b.cli('verify')).code).toBe(0);

    const before = await homeState(b);
    const again = jsonOf<PullJson>(await b.ok('fleet', 'pull', '--host', 'alpha', '--db', db, '--substituter', cache, '--json'));
    expect(again.upToDate).toBe(true);
    expect(again.streams.every((s) => s.events.length === 0)).toBe(true);
    expect(await homeState(b)).toEqual(before);
  });

  it('-p selects one profile of the host', async () => {
    const b = newHome();
    const pulled = jsonOf<PullJson>(await b.ok('fleet', 'pull', '--host', 'alpha', '--from', db, '-p', 'work', '--substituter', cache, '--json'));
    expect(pulled.streams.map((s) => s.stream)).toEqual(['work']);
    expect(readdirSync(join(b.home, 'profiles')).sort()).toEqual(['work', 'work-1-link']);
    expect(snapshotTree(join(b.home, 'profiles'))).toEqual(new Map([...profiles(origin)].filter(([path]) => path.startsWith('work'))));
    const unknown = await b.cli('fleet', 'pull', '--host', 'alpha', '--from', db, '-p', 'games', '--json');
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr).error.code).toBe('GENLEDGER_UNKNOWN_PROFILE');
  });

  it('refuses an event altered in the database (exit 4), leaving no home behind', async () => {
    const tampered = await pushedDatabase();
    const altered = await cluster.sql<{ version: number }>(tampered, "UPDATE fleet_events SET envelope = replace(envelope, 'for the demo', 'for the audit') WHERE host = 'alpha' AND envelope LIKE '%for the demo%' RETURNING version");
    expect(altered).toHaveLength(1);
    const b = newHome();
    const result = await b.cli('fleet', 'pull', '--host', 'alpha', '--from', tampered, '--substituter', cache);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(new RegExp(`^genledger: nothing was pulled: in the fleet database, host 'alpha' stream 'profile' event ${altered[0]?.version} does not match its hash: it was changed after it was pushed\\nhint: .*fleet verify`));
    expect(existsSync(b.home)).toBe(false);
  });

  it('refuses a stream with an event deleted in the database (exit 4), leaving no home behind', async () => {
    const gapped = await pushedDatabase();
    await cluster.sql(gapped, "DELETE FROM fleet_events WHERE host = 'alpha' AND stream = 'profile' AND version = 3");
    const b = newHome();
    const result = await b.cli('fleet', 'pull', '--host', 'alpha', '--from', gapped, '--substituter', cache, '--json');
    expect(result.code).toBe(4);
    const error = JSON.parse(result.stderr).error;
    expect(error.code).toBe('GENLEDGER_FLEET_CHAIN_BROKEN');
    expect(error.message).toMatch(/host 'alpha' stream 'profile' event 3 is missing/);
    expect(existsSync(b.home)).toBe(false);
  });

  it('refuses an unknown host in one line (exit 1), leaving no home behind', async () => {
    const b = newHome();
    const result = await b.cli('fleet', 'pull', '--host', 'nowhere', '--from', db, '--substituter', cache);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^genledger: the fleet database postgres:\/\/.* holds nothing from host 'nowhere'\nhint: /);
    expect(existsSync(b.home)).toBe(false);
    const missing = await b.cli('fleet', 'pull', '--from', db);
    expect(missing.code).toBe(2);
  });
});
