import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { catalog, homeState, jsonOf, makeStoreHome } from './bundle-fixtures.js';
import type { StoreHome } from './bundle-fixtures.js';
import { makeTestHome } from './test-world.js';

const alice = { user: 'alice', uid: 1000, host: 'host-a' };
const bob = { user: 'bob', uid: 1001, host: 'host-b' };

describe('export and import on the command line', () => {
  let a: StoreHome;
  let temp: string;
  let external: string;
  const others: Array<{ cleanup(): void }> = [];
  const newHome = (actor = bob) => {
    const home = makeStoreHome({ start: '2026-03-20T17:00:00Z', actor });
    others.push(home);
    return home;
  };

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'genledger-bundle-cli-'));
    a = makeStoreHome({ start: '2026-01-10T08:00:00Z', actor: alice });
    external = join(a.dir, 'elsewhere', 'profile');
    await a.ok('profile', 'install', `${catalog}#hello`);
    await a.ok('-p', 'work', 'profile', 'install', `${catalog}#greet`);
    await a.ok('-p', 'per-user/alice/profile', 'profile', 'install', `${catalog}#figlet-lite`);
    await a.ok('-p', external, 'profile', 'install', `${catalog}#greet`);
    await a.ok('export', '--to', join(temp, 'all'), '--with-store');
    await a.ok('-p', 'profile', '-p', 'work', 'export', '--to', join(temp, 'two'));
    await a.ok('export', '-p', 'profile', '--to', join(temp, 'one'));
  });

  afterEach(() => {
    for (const home of others.splice(0)) home.cleanup();
  });

  afterAll(() => {
    a?.cleanup();
    rmSync(temp, { recursive: true, force: true });
  });

  const header = (name: string) => JSON.parse(readFileSync(join(temp, name, 'bundle.json'), 'utf8'));

  it('exports every profile by default, each in a file whose name encodes the stream safely', () => {
    const files = readdirSync(join(temp, 'all', 'streams')).sort();
    expect(files).toEqual([`path%3A${external.replaceAll('/', '%2F').replaceAll('.', '%2E')}.ndjson`, 'per-user%2Falice%2Fprofile.ndjson', 'profile.ndjson', 'work.ndjson'].sort());
    expect(header('all').streams.map((entry: { stream: string }) => entry.stream).sort()).toEqual([`path:${external}`, 'per-user/alice/profile', 'profile', 'work'].sort());
    expect(readdirSync(join(temp, 'all')).sort()).toEqual(['bundle.json', 'cache', 'streams']);
  });

  it('exports just the profiles named by each -p, and no cache without --with-store', () => {
    expect(header('two').streams.map((entry: { stream: string }) => entry.stream)).toEqual(['profile', 'work']);
    expect(header('one').streams.map((entry: { stream: string }) => entry.stream)).toEqual(['profile']);
    expect(header('two').store).toBeUndefined();
    expect(existsSync(join(temp, 'two', 'cache'))).toBe(false);
  });

  it('describes the export in --json', async () => {
    const result = jsonOf<Record<string, unknown>>(await a.ok('export', '-p', 'work', '--to', join(temp, 'json'), '--with-store', '--json'));
    expect(result).toMatchObject({ dir: join(temp, 'json'), format: 1, origin: { host: 'host-a', user: 'alice' }, storeDir: '/nix/store', store: { cache: join(temp, 'json', 'cache'), missing: [] } });
    expect(result.streams).toEqual([{ stream: 'work', file: 'work.ndjson', version: 2, hash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });

  it("refuses to export into a directory holding someone else's files, or a profile with no history", async () => {
    const taken = join(temp, 'taken');
    mkdirSync(taken);
    writeFileSync(join(taken, 'notes.txt'), 'mine');
    const result = await a.cli('export', '--to', taken, '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr).error.code).toBe('GENLEDGER_EXPORT_DIR_TAKEN');
    expect(readdirSync(taken)).toEqual(['notes.txt']);
    const unknown = await a.cli('export', '-p', 'nothing-here', '--to', join(temp, 'unknown'), '--json');
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr).error.code).toBe('GENLEDGER_UNKNOWN_PROFILE');
  });

  it('refuses a bundle whose streams diverged from the local ones, writing nothing for any stream', async () => {
    const b = newHome();
    await b.ok('-p', 'work', 'profile', 'install', `${catalog}#hello`);
    const before = await homeState(b);
    const result = await b.cli('import', join(temp, 'two'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^genledger: nothing was imported: this ledger and the bundle recorded different histories for 'work' at version 1\nhint: /);
    expect(await homeState(b)).toEqual(before);
    expect(existsSync(join(b.home, 'profiles', 'profile'))).toBe(false);
  });

  it('refuses new events whose ids this ledger already stores, writing nothing', async () => {
    const b = newHome();
    await b.ok('-p', 'mine', 'profile', 'install', `${catalog}#hello`);
    const before = await homeState(b);
    const result = await b.cli('import', join(temp, 'two'), '--substituter', `file://${join(temp, 'all', 'cache')}`, '--json');
    expect(result.code).toBe(1);
    const error = JSON.parse(result.stderr).error;
    expect(error.code).toBe('GENLEDGER_EVENT_ID_CONFLICT');
    expect(error.message).toMatch(/reuses the id 'id-1' of event 1 of 'mine' here/);
    expect(await homeState(b)).toEqual(before);
  });

  it('keeps stream names: --as checks the one stream of a bundle and refuses to rename it', async () => {
    const b = newHome();
    const renamed = await b.cli('import', join(temp, 'one'), '--as', 'copy', '--json');
    expect(renamed.code).toBe(1);
    expect(JSON.parse(renamed.stderr).error.code).toBe('GENLEDGER_IMPORT_RENAME');
    const several = await b.cli('import', join(temp, 'two'), '--as', 'profile');
    expect(several.code).toBe(2);
    expect((await b.cli('-p', 'work', 'import', join(temp, 'two'))).code).toBe(2);
    expect((await b.cli('import', join(temp, 'one'), '--as', 'profile', '--substituter', `file://${join(temp, 'all', 'cache')}`)).code).toBe(0);
    expect(jsonOf<{ elements: Array<{ name: string }> }>(await b.ok('profile', 'list', '--json')).elements.map((e) => e.name)).toEqual(['hello']);
  });

  it('refuses profiles outside the state home unless --allow-external, and other users\u2019 profiles', async () => {
    const b = newHome();
    const result = await b.cli('import', join(temp, 'all'), '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr).error.code).toBe('GENLEDGER_EXTERNAL_PROFILE');
    const owner = await b.cli('import', join(temp, 'all'), '--allow-external', '--json');
    expect(owner.code).toBe(1);
    expect(JSON.parse(owner.stderr).error.code).toBe('GENLEDGER_NOT_YOUR_PROFILE');
  });

  it('fetches what the bundle lacks from --substituter caches, and refuses when no cache has a needed path', async () => {
    const b = newHome();
    const before = await homeState(b);
    const missing = await b.cli('import', join(temp, 'two'), '--json');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr).error.code).toBe('GENLEDGER_PATH_NOT_IN_CACHE');
    expect(await homeState(b)).toEqual(before);
    const result = jsonOf<{ substituted: Array<{ path: string; cache: string }> }>(await b.ok('import', join(temp, 'two'), '--substituter', `file://${join(temp, 'all', 'cache')}`, '--json'));
    expect(result.substituted.every((step) => step.cache === `file://${join(temp, 'all', 'cache')}`)).toBe(true);
    expect((await b.cli('verify')).code).toBe(0);
  });

  it('reports paths the origin collected as missing, and imports without them', async () => {
    // Dated before the importing home's clock: an event from its future would be refused.
    const origin = makeStoreHome({ start: '2026-01-01T00:00:00Z', actor: alice });
    others.push(origin);
    await origin.ok('profile', 'install', `${catalog}#hello`);
    await origin.ok('profile', 'install', `${catalog}#greet`);
    await origin.ok('profile', 'remove', 'hello');
    await origin.ok('profile', 'delete-generations', '1', '2');
    await origin.ok('gc');
    const exported = jsonOf<{ store: { missing: string[] } }>(await origin.ok('export', '--to', join(temp, 'collected'), '--with-store', '--json'));
    expect(exported.store.missing.map((path) => path.replace(/^\/nix\/store\/[a-z0-9]{32}-/, '')).sort()).toEqual(['hello-1.0', 'profile', 'profile']);
    const b = newHome();
    const imported = jsonOf<{ unavailable: string[]; streams: Array<{ generation: number }> }>(await b.ok('import', join(temp, 'collected'), '--json'));
    expect(imported.unavailable.sort()).toEqual([...exported.store.missing].sort());
    expect(imported.streams[0]?.generation).toBe(3);
    expect((await b.cli('verify')).code).toBe(0);
  });

  it('prints the plan with --dry-run and changes nothing', async () => {
    const b = newHome();
    // A gc creates the home, empty: a read command no longer does.
    await b.ok('gc');
    expect(jsonOf<unknown[]>(await b.ok('log', '--json'))).toEqual([]);
    const before = await homeState(b);
    const plan = await b.ok('import', join(temp, 'two'), '--dry-run', '--substituter', `file://${join(temp, 'all', 'cache')}`);
    expect(plan.stdout).toMatch(/^would append 2 events to 'profile' \(versions 1-2\)$/m);
    expect(plan.stdout).toMatch(/^would fetch \/nix\/store\/\S+-hello-1\.0 from file:\/\//m);
    expect(plan.stdout).toMatch(/^would switch .*\/profiles\/work -> work-1-link$/m);
    const json = jsonOf<{ dryRun: boolean; upToDate: boolean; streams: Array<{ stream: string; from: number; to: number; events: string[]; generation: number }>; operations: Array<{ op: string }> }>(
      await b.ok('import', join(temp, 'two'), '--dry-run', '--json', '--substituter', `file://${join(temp, 'all', 'cache')}`),
    );
    expect(json).toMatchObject({ dryRun: true, upToDate: false, origin: { user: 'alice', host: 'host-a' } });
    expect(json.streams).toEqual([
      { stream: 'profile', from: 0, to: 2, events: ['ProfileCreated', 'PackagesInstalled'], generation: 1 },
      { stream: 'work', from: 0, to: 2, events: ['ProfileCreated', 'PackagesInstalled'], generation: 1 },
    ]);
    expect(json.operations.map((op) => op.op)).toContain('switch');
    expect(await homeState(b)).toEqual(before);
  });

  it("refuses a bundle named for another store directory, and a directory that is not a bundle", async () => {
    const embedded = makeTestHome({ actor: bob });
    others.push(embedded);
    const result = await embedded.run('import', join(temp, 'one'), '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr).error.code).toBe('GENLEDGER_STORE_DIR_MISMATCH');
    const notBundle = await embedded.run('import', temp, '--json');
    expect(notBundle.code).toBe(1);
    expect(JSON.parse(notBundle.stderr).error.code).toBe('GENLEDGER_NOT_A_BUNDLE');
  });
});
