/**
 * The stored fold (migrations/fleet/0003-fleet-fold.sql) through the real
 * CLI against a real PostgreSQL cluster: a push leaves each stream's fold
 * at its head, a later push folds on from it with only the events it
 * sends, a fold of another build or one that no longer fits the events is
 * folded again from the first event, and `fleet verify` compares the
 * stored fold with a fresh one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { catalogPath, inProcessCli, ok, spawnCli } from '../reliability/cli-runners.js';
import type { InProcessCli } from '../reliability/cli-runners.js';
import { postgresMissing, startCluster } from './postgres-cluster.js';
import type { PostgresCluster } from './postgres-cluster.js';

if (postgresMissing !== null) console.warn(`skipping the fleet fold tests: ${postgresMissing}`);

interface StoredFoldRow {
  version: number;
  fold: { build: string; version: number; hash: string; state: { version: number; highestCreated: number } | null };
  touches: number;
}

describe.skipIf(postgresMissing !== null)('the fleet stream fold', () => {
  let cluster: PostgresCluster;
  let scratch: string;
  let db: string;
  let home: string;
  let cli: InProcessCli;
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(() => cluster?.stop());
  beforeEach(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'genledger-fleet-fold-'));
    db = await cluster.database();
    home = join(scratch, 'a');
    cli = inProcessCli(home);
    await ok(cli, 'profile', 'install', `${catalogPath}#hello`);
    await ok(cli, 'fleet', 'init', '--db', db, '--quiet');
    await push();
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  async function push(): Promise<void> {
    const run = await spawnCli(home, ['fleet', 'push', '--to', db, '--host', 'alpha', '--quiet'], { timeoutMs: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }
  const stored = async () =>
    (
      await cluster.sql<{ version: number; fold: string; touches: string }>(
        db,
        "SELECT version, fold, (SELECT count(*) FROM fleet_touches t WHERE t.host = s.host AND t.stream = s.stream) AS touches FROM fleet_streams s WHERE host = 'alpha' AND stream = 'profile'",
      )
    ).map((row): StoredFoldRow => ({ version: row.version, fold: JSON.parse(row.fold) as StoredFoldRow['fold'], touches: Number(row.touches) }))[0];
  const problems = async () => (JSON.parse((await cli('fleet', 'verify', '--db', db, '--json')).stdout) as { problems: Array<{ kind: string }> }).problems;
  const alterFold = (sql: string) => cluster.sql(db, `UPDATE fleet_streams SET fold = (${sql})::text WHERE host = 'alpha' AND stream = 'profile'`);

  it('a push leaves the fold at the head; a later push folds on from it, and verify compares it with a fresh fold', async () => {
    const first = await stored();
    expect(first?.fold).toMatchObject({ version: first?.version, state: { version: first?.version } });
    expect(await problems()).toEqual([]);

    // A fold that does not match the events shows that the next push goes on from it (it does not refold)...
    await alterFold("jsonb_set(fold::jsonb, '{state,highestCreated}', '100')");
    await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
    await push();
    const second = await stored();
    expect(second?.version).toBeGreaterThan(first?.version ?? 0);
    expect(second?.fold.state?.highestCreated).toBe(100);
    // ...and that verify finds it.
    expect(await problems()).toEqual([expect.objectContaining({ kind: 'projection' })]);
  });

  it('a fold of another build, or one whose event is not the one before the new ones, is folded again from the first event', async () => {
    const touches = (await stored())?.touches ?? 0;
    await alterFold("jsonb_set(jsonb_set(fold::jsonb, '{build}', '\"0.0.0/0\"'), '{state,highestCreated}', '100')");
    await ok(cli, 'profile', 'remove', 'hello');
    await push();
    expect((await stored())?.fold.state?.highestCreated).not.toBe(100);
    expect(await problems()).toEqual([]);

    await alterFold("jsonb_set(jsonb_set(fold::jsonb, '{hash}', '\"0000\"'), '{state,highestCreated}', '100')");
    await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
    await push();
    const last = await stored();
    expect(last?.fold.state?.highestCreated).not.toBe(100);
    expect(last?.touches).toBeGreaterThan(touches);
    expect(await problems()).toEqual([]);
  });

  it('a stream new to the fleet is folded while the batches are sent, and stored as a fresh fold gives it', async () => {
    await ok(cli, '-p', 'work', 'profile', 'install', `${catalogPath}#greet`);
    await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
    await push();
    const rows = await cluster.sql<{ stream: string; version: number; fold: string }>(db, "SELECT stream, version, fold FROM fleet_streams WHERE host = 'alpha' ORDER BY stream");
    const work = rows.find((row) => row.stream.endsWith('work'));
    expect(work).toBeDefined();
    expect(JSON.parse(work?.fold ?? 'null')).toMatchObject({ version: work?.version, state: { version: work?.version } });
    expect(await problems()).toEqual([]);
  });

  it('rows without a stored fold (as after migrating to schema 3) are folded again from the first event', async () => {
    await cluster.sql(db, "UPDATE fleet_streams SET fold = NULL WHERE host = 'alpha'");
    await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
    await push();
    expect((await stored())?.fold.version).toBe((await stored())?.version);
    expect(await problems()).toEqual([]);
  });
});
