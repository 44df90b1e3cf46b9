/**
 * `genledger fleet push --watch` as a real process: it pushes what the
 * home holds, then each change genledger commands append, and stops
 * cleanly (exit 0) on SIGINT or SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogPath, cliPath, inProcessCli, ok, projectRoot } from '../reliability/cli-runners.js';
import { postgresMissing, startCluster } from './postgres-cluster.js';
import type { PostgresCluster } from './postgres-cluster.js';

if (postgresMissing !== null) console.warn(`skipping the fleet watch tests: ${postgresMissing}`);

describe.skipIf(postgresMissing !== null)('genledger fleet push --watch', () => {
  let cluster: PostgresCluster;
  let scratch: string;
  beforeAll(async () => {
    cluster = await startCluster();
    scratch = mkdtempSync(join(tmpdir(), 'genledger-fleet-w-'));
  });
  afterAll(() => {
    cluster?.stop();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  async function until(what: string, holds: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!(await holds())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`pushes events as they are appended, and stops cleanly on ${signal}`, async () => {
      const db = await cluster.database();
      const home = join(scratch, signal);
      const cli = inProcessCli(home);
      await ok(cli, 'fleet', 'init', '--db', db, '--quiet');
      await ok(cli, 'profile', 'install', `${catalogPath}#hello`);
      const count = async () => Number((await cluster.sql<{ n: string }>(db, 'SELECT count(*) AS n FROM fleet_events'))[0]?.n);
      const homeEvents = async () => (JSON.parse((await ok(cli, 'log', '--json')).stdout) as unknown[]).length;

      const child = spawn(process.execPath, [cliPath, '--home', home, 'fleet', 'push', '--watch', '--interval', '0.2', '--to', db, '--host', 'watched', '--json'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => void (stdout += text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => void (stderr += text));
      const exited = new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)));
      try {
        const first = await homeEvents();
        await until('the first push arrived', async () => (await count()) === first);
        await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
        await ok(cli, 'profile', 'remove', 'hello');
        const later = await homeEvents();
        expect(later).toBeGreaterThan(first);
        await until('the appended events arrived', async () => (await count()) === later);
        // The query tables follow too, right after the batch (the push refreshes them once its events are in).
        const streams = async () => cluster.sql<{ version: number }>(db, "SELECT version FROM fleet_streams WHERE host = 'watched' AND stream = 'profile'");
        await until('the query tables followed', async () => (await streams())[0]?.version === later);
      } finally {
        child.kill(signal);
      }
      expect(await exited).toBe(0);
      const pushes = stdout.trim().split('\n').map((line) => JSON.parse(line) as { host: string; pushed: number });
      expect(pushes.reduce((sum, push) => sum + push.pushed, 0)).toBe(await count());
      expect(pushes.every((push) => push.host === 'watched')).toBe(true);
      // The watcher reads the home while the installs write it: the announced wait at the home's lock is all stderr may hold.
      expect(stderr.split('\n').filter((line) => line !== '' && !line.startsWith('genledger: waiting for the database lock'))).toEqual([]);
    }, 90_000);
  }

  it('refuses --interval without --watch, and a bad interval (exit 2)', async () => {
    const cli = inProcessCli(join(scratch, 'bad'));
    expect((await cli('fleet', 'push', '--to', 'postgres://x@127.0.0.1/x', '--interval', '1')).code).toBe(2);
    expect((await cli('fleet', 'push', '--to', 'postgres://x@127.0.0.1/x', '--watch', '--interval', 'soon')).code).toBe(2);
  });
});
