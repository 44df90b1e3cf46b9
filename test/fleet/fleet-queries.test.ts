/**
 * The fleet queries through the real CLI, on real homes pushed to a real
 * PostgreSQL cluster: `fleet hosts`, `who-runs` (by name, name@version and
 * store path), `log` with its filters, `blame`, `drift` against a host and
 * a manifest file; the query tables follow later pushes, `fleet init`
 * rebuilds them, and `fleet verify` finds them altered.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogPath, inProcessCli, ok } from '../reliability/cli-runners.js';
import type { InProcessCli } from '../reliability/cli-runners.js';
import { postgresMissing, startCluster } from './postgres-cluster.js';
import type { PostgresCluster } from './postgres-cluster.js';

if (postgresMissing !== null) console.warn(`skipping the fleet query tests: ${postgresMissing}`);

interface Element {
  name: string;
  storePaths: string[];
}

describe.skipIf(postgresMissing !== null)('genledger fleet queries', () => {
  let cluster: PostgresCluster;
  let scratch: string;
  let db: string;
  const homes: Record<string, InProcessCli> = {};

  const json = async <T>(...args: string[]): Promise<T> => JSON.parse((await ok(homes.alpha as InProcessCli, 'fleet', ...args, '--db', db, '--json')).stdout) as T;
  const text = async (...args: string[]) => (await ok(homes.alpha as InProcessCli, 'fleet', ...args, '--db', db)).stdout;
  const push = (host: string) => ok(homes[host] as InProcessCli, 'fleet', 'push', '--to', db, '--host', host, '--quiet');
  const elements = async (host: string, profile = 'profile') =>
    (JSON.parse((await ok(homes[host] as InProcessCli, '-p', profile, 'profile', 'list', '--json')).stdout) as { elements: Element[] }).elements;

  beforeAll(async () => {
    cluster = await startCluster();
    scratch = mkdtempSync(join(tmpdir(), 'genledger-fleet-q-'));
    db = await cluster.database();
    for (const [host, user] of [['alpha', 'alice'], ['beta', 'bob'], ['gamma', 'carol']] as const) {
      homes[host] = inProcessCli(join(scratch, host), { actor: { user, host } });
    }
    const [alpha, beta, gamma] = [homes.alpha, homes.beta, homes.gamma] as InProcessCli[];
    await ok(alpha as InProcessCli, 'fleet', 'init', '--db', db, '--quiet');
    await ok(alpha as InProcessCli, 'profile', 'install', `${catalogPath}#hello`, '--reason', 'everyone greets');
    await ok(alpha as InProcessCli, 'profile', 'install', `${catalogPath}#greet`);
    await ok(beta as InProcessCli, 'profile', 'install', `${catalogPath}#hello`);
    await ok(gamma as InProcessCli, 'profile', 'install', `${catalogPath}#hello`);
    await ok(gamma as InProcessCli, 'profile', 'remove', 'hello');
    await ok(gamma as InProcessCli, '-p', 'tools', 'profile', 'install', `${catalogPath}#figlet-lite`);
    for (const host of ['alpha', 'beta', 'gamma']) await push(host);
  }, 120_000);
  afterAll(() => {
    cluster?.stop();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  it('hosts: every host, its profiles with current generations, last event and last push', async () => {
    const { hosts } = await json<{ hosts: Array<{ host: string; firstPush: string; lastPush: string; lastEvent: { at: string; type: string; stream: string }; profiles: Array<{ profile: string; generation: number; since: string; events: number }> }> }>('hosts');
    expect(hosts.map((host) => host.host)).toEqual(['alpha', 'beta', 'gamma']);
    const gamma = hosts[2];
    expect(gamma?.profiles.map(({ profile, generation }) => ({ profile, generation }))).toEqual([
      { profile: 'profile', generation: 2 },
      { profile: 'tools', generation: 1 },
    ]);
    expect(gamma?.lastEvent).toMatchObject({ type: 'PackagesInstalled', stream: 'tools' });
    expect(Date.parse(gamma?.lastPush ?? '')).toBeGreaterThanOrEqual(Date.parse(gamma?.firstPush ?? ''));
    expect(hosts[0]?.profiles[0]).toMatchObject({ profile: 'profile', generation: 2 });
    expect(await text('hosts')).toMatch(/^alpha {2}last push \S+ {2}last event \S+ PackagesInstalled \(profile\)\n {2}profile {2}generation 2 since /);
  });

  it('who-runs: by name, name@version and store path, with since when; nothing for what no current generation holds', async () => {
    const [hello] = (await elements('alpha')).filter((element) => element.name === 'hello');
    const storePath = hello?.storePaths[0] ?? '';
    type Holders = { query: object; holders: Array<{ host: string; profile: string; generation: number; since: string; element: string; name: string; version: string; storePath: string }> };
    const byName = await json<Holders>('who-runs', 'hello');
    expect(byName.query).toEqual({ name: 'hello', version: null });
    expect(byName.holders.map(({ host, profile, generation, name, version, element }) => ({ host, profile, generation, name, version, element }))).toEqual([
      { host: 'alpha', profile: 'profile', generation: 2, name: 'hello', version: '1.0', element: 'hello' },
      { host: 'beta', profile: 'profile', generation: 1, name: 'hello', version: '1.0', element: 'hello' },
    ]);
    // Since: the time of the event that made beta's generation 1 current, its install.
    const betaLog = JSON.parse((await ok(homes.beta as InProcessCli, 'log', '--json')).stdout) as Array<{ type: string; at: string }>;
    expect(byName.holders[1]?.since).toBe(new Date(betaLog.find((event) => event.type === 'PackagesInstalled')?.at ?? 0).toISOString());
    expect((await json<Holders>('who-runs', 'hello@1.0')).holders).toHaveLength(2);
    expect((await json<Holders>('who-runs', 'hello@2.0')).holders).toEqual([]);
    const byPath = await json<Holders>('who-runs', storePath);
    expect(byPath.query).toEqual({ storePath });
    // Each test home has a store of its own, so only alpha's generation holds alpha's store path.
    expect(byPath.holders.map((row) => row.host)).toEqual(['alpha']);
    expect((await json<Holders>('who-runs', 'figlet-lite')).holders.map(({ host, profile }) => ({ host, profile }))).toEqual([{ host: 'gamma', profile: 'tools' }]);
    expect(await text('who-runs', 'greet@2.1')).toMatch(/^alpha {2}profile {2}generation 2 since \S+ {2}\S+-greet-2\.1\n$/);
    const none = await (homes.alpha as InProcessCli)('fleet', 'who-runs', 'nothing-here', '--db', db);
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'genledger: no current generation in the fleet holds nothing-here\n' });
  });

  it('log: the trail across hosts in order, filtered by host, user, package, type and time', async () => {
    type Entry = { host: string; stream: string; version: number; type: string; actor: { user: string }; reason?: string; hash: string };
    const all = await json<Entry[]>('log');
    const counts = Object.fromEntries(['alpha', 'beta', 'gamma'].map((host) => [host, all.filter((entry) => entry.host === host).length]));
    expect(counts).toEqual({ alpha: 2 + 1, beta: 2, gamma: 2 + 1 + 2 });
    expect(all.map((entry) => entry.host)).toEqual([...Array(3).fill('alpha'), ...Array(2).fill('beta'), ...Array(5).fill('gamma')]);
    const betaHome = JSON.parse((await ok(homes.beta as InProcessCli, 'log', '--json')).stdout) as Array<{ hash: string }>;
    expect((await json<Entry[]>('log', '--host', 'beta')).map((entry) => entry.hash)).toEqual(betaHome.map((entry) => entry.hash));
    expect((await json<Entry[]>('log', '--user', 'carol')).every((entry) => entry.host === 'gamma')).toBe(true);
    const hello = await json<Entry[]>('log', '--package', 'hello');
    expect(hello.map(({ host, type }) => `${host} ${type}`)).toEqual(['alpha PackagesInstalled', 'beta PackagesInstalled', 'gamma PackagesInstalled', 'gamma PackagesRemoved']);
    expect(hello[0]?.reason).toBe('everyone greets');
    expect((await json<Entry[]>('log', '--package', 'hello', '--type', 'packagesremoved')).map((entry) => entry.host)).toEqual(['gamma']);
    expect(await json<Entry[]>('log', '--since', '2h', '--host', 'alpha')).toHaveLength(3);
    expect(await json<Entry[]>('log', '--until', '2000-01-01T00:00:00Z')).toEqual([]);
    expect((await json<Entry[]>('log', '-n', '1', '--reverse')).map((entry) => entry.host)).toEqual(['gamma']);
    expect(await text('log', '--package', 'greet')).toMatch(/^alpha {2}\S+ {2}alice@alpha {2}profile v\d+ {2}PackagesInstalled\n {4}\$ /);
    const bad = await (homes.alpha as InProcessCli)('fleet', 'log', '--since', 'yesterday', '--db', db);
    expect(bad.code).toBe(2);
  });

  it('blame: who put the current version in a host profile, and what happened before', async () => {
    const alpha = await json<{ host: string; profile: string; name: string; generation: number; current: { change: string; generation: number; actor: { user: string }; reason: string | null; version: number }; removedBy: null; history: unknown[] }>('blame', 'alpha', 'hello');
    expect(alpha).toMatchObject({ host: 'alpha', profile: 'profile', name: 'hello', generation: 2, current: { change: 'installed', generation: 1, actor: { user: 'alice' }, reason: 'everyone greets' }, removedBy: null });
    expect(alpha.history).toHaveLength(1);
    const gamma = await json<{ current: null; removedBy: { change: string; generation: number }; history: Array<{ change: string }> }>('blame', 'gamma', 'hello');
    expect(gamma.current).toBeNull();
    expect(gamma.removedBy).toMatchObject({ change: 'removed', generation: 2 });
    expect(gamma.history.map((entry) => entry.change)).toEqual(['removed', 'installed']);
    expect(await text('blame', 'alpha', 'hello')).toMatch(/^hello 1\.0 in generation 2 of profile 'profile' on host 'alpha'\ninstalled in generation 1 by alice@alpha at /);
    expect((await json<{ current: { change: string } }>('blame', 'gamma', 'figlet-lite', '--profile', 'tools')).current.change).toBe('installed');
    const missing = await (homes.alpha as InProcessCli)('fleet', 'blame', 'alpha', 'figlet-lite', '--db', db, '--json');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr)).toMatchObject({ error: { code: 'GENLEDGER_NO_MATCH' } });
  });

  it('drift: the hosts whose profile differs from a host\'s or from a manifest file, element by element', async () => {
    type Drift = { like: string; profile: string; compared: number; drifted: Array<{ host: string; generation: number; missing: Element[]; extra: Element[]; changed: unknown[] }> };
    const likeAlpha = await json<Drift>('drift', '--like', 'alpha:profile');
    expect(likeAlpha).toMatchObject({ like: 'alpha:profile', profile: 'profile', compared: 3 });
    // Each test home has a store of its own: the same hello is another store path on each host, a changed element.
    const names = (drift: Drift) => drift.drifted.map(({ host, missing, extra, changed }) => ({ host, missing: missing.map((e) => e.name), extra: extra.map((e) => e.name), changed: changed.map((c) => (c as { name: string }).name) }));
    expect(names(likeAlpha)).toEqual([
      { host: 'beta', missing: ['greet'], extra: [], changed: ['hello'] },
      { host: 'gamma', missing: ['greet', 'hello'], extra: [], changed: [] },
    ]);
    const manifest = join(scratch, 'desired.json');
    writeFileSync(manifest, readFileSync(join(scratch, 'beta', 'profiles', 'profile', 'manifest.json')));
    const likeFile = await json<Drift>('drift', '--like', manifest);
    expect(names(likeFile)).toEqual([
      { host: 'alpha', missing: [], extra: ['greet'], changed: ['hello'] },
      { host: 'gamma', missing: ['hello'], extra: [], changed: [] },
    ]);
    expect((await json<Drift>('drift', '--like', 'gamma:tools')).drifted).toEqual([]);
    expect(await text('drift', '--like', 'alpha:profile')).toBe('beta  profile  generation 1\n  + greet 2.1 (missing)\n  ~ hello 1.0 -> 1.0\ngamma  profile  generation 2\n  + greet 2.1 (missing)\n  + hello 1.0 (missing)\n');
    const unknown = await (homes.alpha as InProcessCli)('fleet', 'drift', '--like', 'nohost:profile', '--db', db);
    expect(unknown.code).toBe(1);
  });

  it('the query tables follow later pushes, fleet init rebuilds them, and verify finds them altered', async () => {
    await ok(homes.beta as InProcessCli, 'profile', 'remove', 'hello');
    await push('beta');
    expect((await json<{ holders: Array<{ host: string }> }>('who-runs', 'hello')).holders.map((row) => row.host)).toEqual(['alpha']);
    const verify = async () => JSON.parse((await (homes.alpha as InProcessCli)('fleet', 'verify', '--db', db, '--json')).stdout) as { problems: Array<{ kind: string; host: string }> };
    expect((await verify()).problems).toEqual([]);
    await cluster.sql(db, "UPDATE fleet_current_paths SET version = '9.9' WHERE host = 'alpha' AND name = 'hello'");
    expect((await verify()).problems).toEqual([expect.objectContaining({ kind: 'projection', host: 'alpha' })]);
    await cluster.sql(db, "DELETE FROM fleet_streams WHERE host = 'alpha'");
    expect((await json<{ holders: unknown[] }>('who-runs', 'hello')).holders).toEqual([]);
    await ok(homes.alpha as InProcessCli, 'fleet', 'init', '--db', db, '--quiet');
    expect((await json<{ holders: Array<{ host: string; version: string }> }>('who-runs', 'hello')).holders).toMatchObject([{ host: 'alpha', version: '1.0' }]);
    expect((await verify()).problems).toEqual([]);
  });
});
