/**
 * The ledger across real processes: LevelDB admits one process at a time,
 * so eight writers contending for one stream must serialise through the
 * lock and optimistic versions without losing or duplicating an event, and
 * a blocked command must wait for, or name, the process holding the lock.
 * Workers are TypeScript, bundled with esbuild under node_modules/.cache
 * (so `classic-level` resolves from the project's node_modules) and run
 * with this Node binary.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/ledger/database.js';
import { createLevelLedger } from '../../src/ledger/level-ledger.js';
import { verifyLedger } from '../../src/ledger/verify-ledger.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let bundles: string;
let home: string;
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(() => {
  const cache = join(root, 'node_modules', '.cache', 'genledger-test');
  mkdirSync(cache, { recursive: true });
  bundles = mkdtempSync(join(cache, 'ledger-workers-'));
  buildSync({
    entryPoints: ['ledger-appender', 'lock-holder', 'lock-waiter'].map((name) => join(root, 'test', 'integration', 'workers', `${name}.ts`)),
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    // The CLI's dynamic imports are bundled too, the fleet schema's .sql text among them.
    loader: { '.sql': 'text' },
    target: 'node20',
    outdir: bundles,
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
});
afterAll(() => rmSync(bundles, { recursive: true, force: true }));

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'genledger-processes-'));
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill();
  rmSync(home, { recursive: true, force: true });
});

interface Worker {
  child: ChildProcessWithoutNullStreams;
  lines: AsyncIterator<string>;
  exit: Promise<number | null>;
}

function run(worker: string, ...args: string[]): Worker {
  const child = spawn(process.execPath, [join(bundles, `${worker}.mjs`), ...args], { stdio: 'pipe' });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      if (code !== 0 && stderr !== '') process.stderr.write(`${worker}: ${stderr}`);
      resolve(code);
    }),
  );
  return { child, lines: createInterface({ input: child.stdout })[Symbol.asyncIterator](), exit };
}

async function nextLine(worker: Worker): Promise<string> {
  const line = await worker.lines.next();
  if (line.done === true) throw new Error('the worker ended without printing the expected line');
  return line.value;
}

describe('the ledger across processes', () => {
  it('keeps every event of eight contending writers exactly once, versions 1..80 without gaps', async () => {
    const dir = join(home, 'db');
    const workers = Array.from({ length: 8 }, (_, index) => run('ledger-appender', dir, String(index), '10'));
    expect(await Promise.all(workers.map((worker) => worker.exit))).toEqual(Array(8).fill(0));

    const database = await openDatabase({ dir, lockTimeoutMs: 0, holder: { pid: process.pid, user: 'test', command: 'check', since: new Date().toISOString() } });
    try {
      const events = await createLevelLedger(database.db).readStream('profile');
      expect(events.map((event) => event.version)).toEqual(Array.from({ length: 80 }, (_, index) => index + 1));
      expect(new Set(events.map((event) => event.id)).size).toBe(80);
      for (let worker = 0; worker < 8; worker++) {
        const own = events.filter((event) => event.id.startsWith(`w${worker}-`)).map((event) => event.id);
        expect(own).toEqual(Array.from({ length: 10 }, (_, index) => `w${worker}-e${index}`));
      }
      expect(await verifyLedger(database.db)).toMatchObject({ ok: true, eventsChecked: 80 });
    } finally {
      await database.close();
    }
  });

  it('makes a second process wait for the lock holder and go on once it lets go', async () => {
    const dir = join(home, 'db');
    const holder = run('lock-holder', dir);
    expect(await nextLine(holder)).toBe('locked');
    const waiter = run('lock-waiter', dir, '20000');
    const waiting = await nextLine(waiter);
    expect(waiting).toBe(`waiting: pid ${holder.child.pid} (user holder, command 'lock-holder test', since 2025-01-01T00:00:00.000Z)`);
    holder.child.stdin.write('go\n');
    expect(await nextLine(holder)).toBe('released');
    expect(await nextLine(waiter)).toBe('opened');
    expect(await waiter.exit).toBe(0);
    expect(await holder.exit).toBe(0);
  });

  it('gives up after a short lock timeout with exit 3, naming the holder', async () => {
    const dir = join(home, 'db');
    const holder = run('lock-holder', dir);
    expect(await nextLine(holder)).toBe('locked');
    const waiter = run('lock-waiter', dir, '100');
    expect(await nextLine(waiter)).toMatch(/^waiting: /);
    const failure = JSON.parse(await nextLine(waiter)) as { code: string; exitCode: number; message: string };
    expect(failure).toMatchObject({ code: 'GENLEDGER_LOCK_TIMEOUT', exitCode: 3 });
    expect(failure.message).toContain(`pid ${holder.child.pid}`);
    expect(failure.message).toContain("command 'lock-holder test'");
    expect(failure.message).toContain('since 2025-01-01T00:00:00.000Z');
    expect(await waiter.exit).toBe(3);
    holder.child.stdin.write('go\n');
    expect(await holder.exit).toBe(0);
  });
});
