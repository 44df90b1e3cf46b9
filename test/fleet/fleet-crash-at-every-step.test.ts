/**
 * A `fleet push` killed (SIGKILL, GENLEDGER_FAULT=<step>@N) at every step
 * it goes through: after reading the fleet's heads, after reading the
 * home, inside a batch before its commit, between batches, before the
 * query tables' refresh and inside it (a stream's rows written, not
 * committed). Pushing again must leave the fleet exactly as an unbroken
 * push does: no gaps, no duplicates (per stream the home's count), `fleet
 * verify` clean (chains, query tables and stored folds), every stream's
 * row at its head. The home was pushed once before, so the refresh that is
 * killed is the one that folds on from the stored fold.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultSteps } from '../../src/fault-injection.js';
import { catalogPath, inProcessCli, ok, spawnCli } from '../reliability/cli-runners.js';
import { postgresMissing, startCluster } from './postgres-cluster.js';
import type { PostgresCluster } from './postgres-cluster.js';

if (postgresMissing !== null) console.warn(`skipping the fleet crash tests: ${postgresMissing}`);

/** Per step, the passes at which the push is killed (batches of 2: the push sends several). */
const crashAt: Record<string, readonly number[]> = {
  'fleet-after-heads': [1],
  'fleet-after-home': [1],
  'fleet-before-commit': [1, 2],
  'fleet-after-batch': [1, 2],
  'fleet-before-refresh': [1],
  'fleet-during-refresh': [1, 2],
};

describe.skipIf(postgresMissing !== null)('fleet push killed at every step', () => {
  let cluster: PostgresCluster;
  let scratch: string;
  let reference: Array<{ stream: string; n: number; version: number }>;
  beforeAll(async () => {
    cluster = await startCluster();
    scratch = mkdtempSync(join(tmpdir(), 'genledger-fleet-crash-'));
    reference = await perStream(await pushedHome('reference', []));
  });
  afterAll(() => {
    cluster?.stop();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  it('covers every fleet step', () => {
    expect(Object.keys(crashAt).sort()).toEqual(faultSteps.filter((step) => step.startsWith('fleet-')).sort());
  });

  /** A home pushed once, then changed in two profiles, then pushed with `fault` (none: `[]`); returns the database. */
  async function pushedHome(name: string, fault: string[]): Promise<string> {
    const db = await cluster.database();
    const home = join(scratch, name);
    const cli = inProcessCli(home);
    await ok(cli, 'fleet', 'init', '--db', db, '--quiet');
    await ok(cli, 'profile', 'install', `${catalogPath}#hello`);
    await ok(cli, 'fleet', 'push', '--to', db, '--host', 'alpha', '--quiet');
    await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
    await ok(cli, 'profile', 'remove', 'hello');
    await ok(cli, '-p', 'other', 'profile', 'install', `${catalogPath}#hello`);
    const push = ['fleet', 'push', '--to', db, '--host', 'alpha', '--batch-size', '2', '--quiet'];
    for (const setting of fault) {
      const killed = await spawnCli(home, push, { fault: setting, timeoutMs: 60_000 });
      expect(killed.signal, `expected a kill at ${setting}; exit ${killed.status}: ${killed.stderr}`).toBe('SIGKILL');
    }
    const again = await spawnCli(home, push, { timeoutMs: 60_000 });
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    return db;
  }

  /** Per stream of host alpha: how many events, the highest version, and the version its query row stands at. */
  async function perStream(db: string): Promise<Array<{ stream: string; n: number; version: number }>> {
    const rows = await cluster.sql<{ stream: string; n: string; top: number; version: number | null }>(
      db,
      `SELECT e.stream, count(*) AS n, max(e.version) AS top, s.version FROM fleet_events e
         LEFT JOIN fleet_streams s USING (host, stream) WHERE e.host = 'alpha' GROUP BY e.stream, s.version ORDER BY e.stream`,
    );
    for (const row of rows) expect(row.version, `stream ${row.stream}`).toBe(row.top);
    expect(rows.every((row) => Number(row.n) === row.top)).toBe(true);
    return rows.map((row) => ({ stream: row.stream, n: Number(row.n), version: row.top }));
  }

  const kills = Object.entries(crashAt).flatMap(([step, passes]) => passes.map((n) => `${step}@${n}`));
  it.each(kills)('killed at %s: pushing again leaves no gap, no duplicate, and verify clean', async (fault) => {
    const db = await pushedHome(fault.replace('@', '-'), [fault]);
    expect(await perStream(db)).toEqual(reference);
    const verify = await spawnCli(null, ['fleet', 'verify', '--db', db, '--json'], { timeoutMs: 60_000 });
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ problems: [] });
  });
});
