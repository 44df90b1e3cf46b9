/**
 * A throwaway PostgreSQL 15 cluster for one test file: initdb into a temp
 * dir (as the `postgres` user when the tests run as root, since initdb
 * refuses root), started on 127.0.0.1 and a free port with its Unix
 * socket in that dir and trust authentication (local test use only), one
 * fresh database per call of `database()`, stopped (immediate) and removed
 * by `stop()`. `postgresMissing` is the reason to skip, or null.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const BIN = '/usr/lib/postgresql/15/bin';

export const postgresMissing: string | null = existsSync(join(BIN, 'initdb')) ? null : `PostgreSQL 15 is not installed (no ${BIN}/initdb): apt-get install postgresql`;

export interface PostgresCluster {
  readonly port: number;
  /** A new, empty database; its URL. */
  database(): Promise<string>;
  /** Runs SQL on a database as the superuser (hand edits, terminating backends). */
  sql<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values?: unknown[]): Promise<R[]>;
  stop(): void;
}

export async function startCluster(): Promise<PostgresCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'genledger-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) => execFileSync(asRoot ? 'runuser' : join(BIN, tool), asRoot ? ['-u', 'postgres', '--', join(BIN, tool), ...args] : args, { stdio: 'pipe', cwd: dir });
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off`, 'start']);
  let stopped = false;
  let count = 0;
  const cluster: PostgresCluster = {
    port,
    async database() {
      count += 1;
      const name = `genledger_${process.pid}_${count}`;
      await cluster.sql(`postgres://postgres@127.0.0.1:${port}/postgres`, `CREATE DATABASE ${name}`);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async sql(url, text, values) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(text, values)).rows;
      } finally {
        await client.end();
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  return cluster;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
