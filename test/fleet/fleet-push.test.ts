/**
 * `genledger fleet init`, `fleet push` and `fleet verify` through the real
 * CLI against a real PostgreSQL cluster: idempotent set-up and pushes,
 * resuming after a kill -9 or a dropped connection without gaps or
 * duplicates, diverged histories refused with nothing written, concurrent
 * pushers, and hand-made damage found by verify.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { catalogPath, inProcessCli, ok, spawnCli } from '../reliability/cli-runners.js';
import type { InProcessCli } from '../reliability/cli-runners.js';
import { postgresMissing, startCluster } from './postgres-cluster.js';
import type { PostgresCluster } from './postgres-cluster.js';

if (postgresMissing !== null) console.warn(`skipping the fleet push tests: ${postgresMissing}`);

describe.skipIf(postgresMissing !== null)('genledger fleet', () => {
  let cluster: PostgresCluster;
  let scratch: string;
  let db: string;
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(() => cluster?.stop());
  beforeEach(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'genledger-fleet-'));
    db = await cluster.database();
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  /** A home with `changes` install/remove commands behind it (two events each, the first install three). */
  async function homeWith(name: string, changes: number): Promise<{ home: string; cli: InProcessCli }> {
    const home = join(scratch, name);
    const cli = inProcessCli(home);
    for (let index = 0; index < changes; index++) {
      if (index % 2 === 0) await ok(cli, 'profile', 'install', `${catalogPath}#hello`);
      else await ok(cli, 'profile', 'remove', 'hello');
    }
    return { home, cli };
  }

  async function homeEvents(cli: InProcessCli): Promise<number> {
    return (JSON.parse((await ok(cli, 'verify', '--json')).stdout) as { eventsChecked: number }).eventsChecked;
  }

  const fleet = (home: string | null, ...args: string[]) => spawnCli(home, ['fleet', ...args], { timeoutMs: 60_000 });
  const init = async () => expect((await fleet(null, 'init', '--db', db)).status).toBe(0);
  const count = async (where = 'true') => Number((await cluster.sql<{ n: string }>(db, `SELECT count(*) AS n FROM fleet_events WHERE ${where}`))[0]?.n);

  async function expectSound(events: number): Promise<void> {
    const verify = await fleet(null, 'verify', '--db', db, '--json');
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ events, problems: [] });
  }

  it('init creates the schema, and running it again changes nothing', async () => {
    const first = await fleet(null, 'init', '--db', db, '--json');
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ db, from: 0, to: 3 });
    const second = await fleet(null, 'init', '--db', db, '--json');
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ db, from: 3, to: 3 });
    expect(await cluster.sql(db, 'SELECT version FROM fleet_schema ORDER BY version')).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
  });

  it('refuses a database without the schema, and one with a newer schema, in one line (exit 1)', async () => {
    const { home } = await homeWith('a', 1);
    const missing = await fleet(home, 'push', '--to', db);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^genledger: the database .* holds no genledger fleet schema\nhint: run genledger fleet init/);
    await init();
    await cluster.sql(db, "INSERT INTO fleet_schema (version, description) VALUES (4, 'from the future')");
    const newer = await fleet(home, 'push', '--to', db, '--json');
    expect(newer.status).toBe(1);
    expect(JSON.parse(newer.stderr)).toMatchObject({ error: { code: 'GENLEDGER_FLEET_SCHEMA_MISMATCH' } });
    expect(await count()).toBe(0);
  });

  it('pushes every event verbatim; pushing again appends nothing; later events go alone', async () => {
    const { home, cli } = await homeWith('a', 3);
    await init();
    const first = await fleet(home, 'push', '--to', db, '--host', 'alpha', '--json');
    expect(first.status).toBe(0);
    const events = await homeEvents(cli);
    expect(JSON.parse(first.stdout)).toMatchObject({ host: 'alpha', pushed: events });
    expect(await count()).toBe(events);

    // Verbatim: the profile stream's rows hold exactly the lines export writes, the ledger's stored text.
    expect((await spawnCli(home, ['export', '--to', join(scratch, 'bundle')])).status).toBe(0);
    const [exported] = (JSON.parse(readFileSync(join(scratch, 'bundle', 'bundle.json'), 'utf8')) as { streams: Array<{ stream: string; file: string }> }).streams;
    const rows = await cluster.sql<{ envelope: string }>(db, 'SELECT envelope FROM fleet_events WHERE stream = $1 ORDER BY version', [exported?.stream]);
    expect(rows.map((row) => `${row.envelope}\n`).join('')).toBe(readFileSync(join(scratch, 'bundle', 'streams', exported?.file ?? ''), 'utf8'));

    const again = await fleet(home, 'push', '--to', db, '--host', 'alpha', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ pushed: 0, streams: [] });
    expect(await count()).toBe(events);

    await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
    const more = (await homeEvents(cli)) - events;
    const rest = await fleet(home, 'push', '--to', db, '--host', 'alpha', '--json');
    expect(JSON.parse(rest.stdout)).toMatchObject({ pushed: more });
    expect(await count()).toBe(events + more);
    await expectSound(events + more);

    const hosts = await cluster.sql<{ host: string; later: boolean }>(db, 'SELECT host, last_push >= first_push AS later FROM fleet_hosts');
    expect(hosts).toEqual([{ host: 'alpha', later: true }]);
  });

  it('refuses a home whose history diverges from what the fleet holds for the host, writing nothing', async () => {
    const { home: original } = await homeWith('original', 2);
    const { home: rewritten, cli } = await homeWith('rewritten', 1);
    await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
    await ok(cli, '-p', 'other', 'profile', 'install', `${catalogPath}#hello`);
    await init();
    expect((await fleet(original, 'push', '--to', db, '--host', 'shared')).status).toBe(0);
    const before = await count();

    const refused = await fleet(rewritten, 'push', '--to', db, '--host', 'shared');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^genledger: the fleet database holds another event \d+ of '[^']+' from host 'shared' than this home; nothing was pushed\nhint: /);
    expect(await count()).toBe(before);
  });

  it('after a kill -9 between batches, or inside one, pushing again completes without gaps or duplicates', async () => {
    const { home, cli } = await homeWith('a', 6);
    const events = await homeEvents(cli);
    await init();
    const killed = await spawnCli(home, ['fleet', 'push', '--to', db, '--batch-size', '2'], { fault: 'fleet-after-batch@2' });
    expect(killed.signal).toBe('SIGKILL');
    expect(await count()).toBe(4);
    const inside = await spawnCli(home, ['fleet', 'push', '--to', db, '--batch-size', '2'], { fault: 'fleet-before-commit@2' });
    expect(inside.signal).toBe('SIGKILL');
    expect(await count()).toBe(6);

    const resumed = await fleet(home, 'push', '--to', db, '--batch-size', '2', '--json');
    expect(resumed.status).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ pushed: events - 6 });
    expect(await count()).toBe(events);
    await expectSound(events);
  });

  it('a connection dropped mid-batch fails in one line; pushing again completes without gaps or duplicates', async () => {
    const { home, cli } = await homeWith('a', 4);
    const events = await homeEvents(cli);
    await init();
    // Hold the host's lock, so the pusher waits inside its first batch's transaction, then cut its connection.
    const holder = new pg.Client({ connectionString: db });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT pg_advisory_xact_lock(hashtextextended('genledger fleet host ' || 'cut', 0))");
      const pushing = fleet(home, 'push', '--to', db, '--host', 'cut', '--batch-size', '3');
      let waiting: Array<{ pid: number }> = [];
      for (let tries = 0; waiting.length === 0 && tries < 200; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        waiting = await cluster.sql(db, "SELECT pid FROM pg_stat_activity WHERE application_name = 'genledger' AND wait_event_type = 'Lock'");
      }
      expect(waiting).toHaveLength(1);
      await cluster.sql(db, 'SELECT pg_terminate_backend($1)', [waiting[0]?.pid]);
      const cut = await pushing;
      expect(cut.status).toBe(1);
      expect(cut.stderr).toMatch(/^genledger: the connection to the fleet database postgres:\/\/\S+ was lost\nhint: run the command again/);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await count()).toBe(0);
    expect((await fleet(home, 'push', '--to', db, '--host', 'cut', '--batch-size', '3')).status).toBe(0);
    expect(await count()).toBe(events);
    await expectSound(events);
  });

  it('two hosts pushing at once, and two pushers of one host at once, neither corrupt nor duplicate', async () => {
    const a = await homeWith('a', 5);
    const b = await homeWith('b', 5);
    const aEvents = await homeEvents(a.cli);
    const bEvents = await homeEvents(b.cli);
    await init();
    const [alpha, beta, alphaAgain] = await Promise.all([
      fleet(a.home, 'push', '--to', db, '--host', 'alpha', '--batch-size', '1', '--json'),
      fleet(b.home, 'push', '--to', db, '--host', 'beta', '--batch-size', '1', '--json'),
      fleet(a.home, 'push', '--to', db, '--host', 'alpha', '--batch-size', '1', '--json'),
    ]);
    // Two pushers of one home may meet at the home's lock while reading it; that wait is announced, nothing else is said.
    const said = (run: { stderr: string }) => run.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('genledger: waiting for the database lock'));
    for (const run of [alpha, beta, alphaAgain]) expect(said(run)).toEqual([]);
    const pushed = (run: { stdout: string }) => (JSON.parse(run.stdout) as { pushed: number }).pushed;
    expect(pushed(alpha) + pushed(alphaAgain)).toBe(aEvents);
    expect(pushed(beta)).toBe(bEvents);
    expect(await count("host = 'alpha'")).toBe(aEvents);
    expect(await count("host = 'beta'")).toBe(bEvents);
    await expectSound(aEvents + bEvents);
  });

  it('fleet verify finds an event altered by hand and one deleted by hand (exit 4, one line each)', async () => {
    const { home, cli } = await homeWith('a', 4);
    const events = await homeEvents(cli);
    await init();
    expect((await fleet(home, 'push', '--to', db, '--host', 'alpha')).status).toBe(0);
    await expectSound(events);

    const [victim] = await cluster.sql<{ stream: string }>(db, 'SELECT stream FROM fleet_events WHERE version = 3 LIMIT 1');
    const [original] = await cluster.sql<{ envelope: string }>(db, 'SELECT envelope FROM fleet_events WHERE stream = $1 AND version = 2', [victim?.stream]);
    await cluster.sql(db, "UPDATE fleet_events SET envelope = replace(envelope, '\"user\":', '\"user\":\"mallory\",\"was\":') WHERE stream = $1 AND version = 2", [victim?.stream]);
    const altered = await fleet(null, 'verify', '--db', db);
    expect(altered.status).toBe(4);
    expect(altered.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^genledger: host 'alpha' stream '${victim?.stream}' event 2 `))]);

    await cluster.sql(db, 'UPDATE fleet_events SET envelope = $2 WHERE stream = $1 AND version = 2', [victim?.stream, original?.envelope]);
    await expectSound(events);
    await cluster.sql(db, 'DELETE FROM fleet_events WHERE stream = $1 AND version = 2', [victim?.stream]);
    const deleted = await fleet(null, 'verify', '--db', db, '--json');
    expect(deleted.status).toBe(4);
    expect(JSON.parse(deleted.stdout).problems).toEqual([
      { host: 'alpha', stream: victim?.stream, version: 2, kind: 'missing', message: `host 'alpha' stream '${victim?.stream}' event 2 is missing` },
    ]);
  });

  it('the database itself refuses an event that does not continue its chain, whoever writes it', async () => {
    const { home } = await homeWith('a', 1);
    await init();
    expect((await fleet(home, 'push', '--to', db, '--host', 'alpha')).status).toBe(0);
    const [head] = await cluster.sql<{ stream: string; version: number }>(db, 'SELECT stream, max(version) AS version FROM fleet_events GROUP BY stream LIMIT 1');
    const forge = (version: number, prev: string | null) =>
      cluster.sql(
        db,
        `INSERT INTO fleet_events (host, stream, version, id, type, v, at, actor_user, actor_host, prev, hash, sig, envelope)
         VALUES ('alpha', $1, $2, 'forged', 'T', 1, now(), 'u', 'h', $3, repeat('1', 64), NULL, '{}')`,
        [head?.stream, version, prev],
      );
    await expect(forge((head?.version ?? 0) + 1, 'f'.repeat(64))).rejects.toMatchObject({ code: 'GL001' });
    await expect(forge((head?.version ?? 0) + 2, 'f'.repeat(64))).rejects.toMatchObject({ code: 'GL001' });
    // Within one statement: a run whose first row chains on, and whose second does not.
    const [last] = await cluster.sql<{ hash: string }>(db, 'SELECT hash FROM fleet_events WHERE stream = $1 AND version = $2', [head?.stream, head?.version]);
    const run = cluster.sql(
      db,
      `INSERT INTO fleet_events (host, stream, version, id, type, v, at, actor_user, actor_host, prev, hash, sig, envelope)
       VALUES ('alpha', $1, $2::int + 1, 'a', 'T', 1, now(), 'u', 'h', $3, repeat('1', 64), NULL, '{}'),
              ('alpha', $1, $2::int + 2, 'b', 'T', 1, now(), 'u', 'h', repeat('2', 64), repeat('3', 64), NULL, '{}')`,
      [head?.stream, head?.version, last?.hash],
    );
    await expect(run).rejects.toMatchObject({ code: 'GL001' });
    expect(await count("id IN ('a', 'b', 'forged')")).toBe(0);
  });

  it('never prints the password of the URL, and names no raw client error, when it cannot connect', async () => {
    const { home } = await homeWith('a', 1);
    const result = await fleet(home, 'push', '--to', `postgres://alice:s3cret@127.0.0.1:${cluster.port + 1}/fleet`);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`genledger: cannot connect to the fleet database postgres://alice:***@127.0.0.1:${cluster.port + 1}/fleet: nothing listens there\nhint: check the URL, that PostgreSQL runs there, and that this user may log in\n`);
    const bad = await fleet(home, 'push', '--to', 'mysql://bob:hunter2@db/fleet');
    expect(bad.status).toBe(2);
    expect(bad.stderr).not.toContain('hunter2');
  });
});
