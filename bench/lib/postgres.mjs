// A throwaway PostgreSQL 15 cluster for the fleet cases: the bench's plain
// JS twin of test/fleet/postgres-cluster.ts (initdb as the `postgres` user
// when root, pg_ctl on 127.0.0.1 and a free port, trust authentication),
// but durable, as a fleet database runs: fsync and synchronous commit stay
// on (the tests turn them off). Its server log holds every statement's
// duration once `logDurations` is on: the query times the fleet cases
// report are PostgreSQL's own.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const BIN = '/usr/lib/postgresql/15/bin';

export const postgresMissing = existsSync(join(BIN, 'initdb')) ? null : `PostgreSQL 15 is not installed (no ${BIN}/initdb)`;

/** In the system's temp dir: the bench's scratch dir is closed to the `postgres` user. */
export async function startCluster() {
  const dir = mkdtempSync(join(tmpdir(), 'genledger-bench-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
  const run = (tool, args) => execFileSync(asRoot ? 'runuser' : join(BIN, tool), asRoot ? ['-u', 'postgres', '--', join(BIN, tool), ...args] : args, { stdio: 'pipe', cwd: dir });
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-l', log, '-w', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c shared_buffers=256MB -c log_timezone=UTC`, 'start']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    async sql(text, values) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(text, values)).rows;
      } finally {
        await client.end();
      }
    },
    /** From now on, the server log holds every statement's duration. */
    async logDurations() {
      await this.sql('ALTER SYSTEM SET log_min_duration_statement = 0');
      // Without this a batch's insert logs every bound value: megabytes per statement, which slows the push it measures.
      await this.sql('ALTER SYSTEM SET log_parameter_max_length = 0');
      await this.sql('SELECT pg_reload_conf()');
    },
    /** The durations (ms) logged for statements whose text matches `pattern`, in order. */
    durations(pattern) {
      return this.statements(pattern).map(({ durationMs }) => durationMs);
    },
    /** The statements logged whose text matches `pattern`, in order: when each ended (ms since the epoch, the log line's time) and how long it took. */
    statements(pattern) {
      return readFileSync(log, 'utf8')
        .split(/\n(?=\S)/)
        .flatMap((entry) => {
          const match = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) UTC [\s\S]*?duration: ([\d.]+) ms {2}(?:statement|execute [^:]*): ([\s\S]*)/.exec(entry);
          return match !== null && pattern.test(match[3]) ? [{ endedAt: Date.parse(`${match[1].replace(' ', 'T')}Z`), durationMs: Number(match[2]) }] : [];
        });
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
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
