/**
 * Eight processes change three profiles of one home at once: 200
 * install/remove/rollback commands in all (25 per process), each a whole
 * genledger invocation contending for the database lock. Each writer
 * process runs most of its commands through the CLI entry in-process and
 * every fifth as a separate `node bin/genledger`, so real exit statuses
 * are in the mix without paying 200 Node start-ups. Every command either
 * changes something (exit 0, printing the events it appended), is refused
 * with a reason (exit 1: nothing to remove, nothing older to roll back to)
 * or gives up waiting (exit 3, naming the holder); nothing else, and never
 * a stack trace. The log then holds exactly the events the commands
 * reported, once each, in unbroken per-profile version order, and every
 * profile's links are its ledger's.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogPath, cliPath, inProcessCli, projectRoot } from './cli-runners.js';
import type { InProcessCli } from './cli-runners.js';
import { expectLinksMatchLedger, readLog, tempLeftovers } from './home-inspection.js';
import type { LoggedEvent } from './home-inspection.js';
import { int, pick, seededRandom } from './seeded-random.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

const WORKERS = 8;
const OPS_PER_WORKER = 25;
const SPAWN_EVERY = 5;
const PROFILES = ['profile', 'other1', 'other2'] as const;
const PACKAGES = ['hello', 'greet', 'figlet-lite'] as const;
/** Refusals a racing writer may legitimately meet. */
const LEGITIMATE_REFUSALS = ['GENLEDGER_NO_MATCH', 'GENLEDGER_NO_OLDER_GENERATION', 'GENLEDGER_VERSION_CONFLICT'];
const GENERATION_EVENTS = new Set(['PackagesInstalled', 'PackagesRemoved']);

interface Op {
  readonly profile: string;
  readonly args: readonly string[];
  readonly spawn: boolean;
}

interface Outcome {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Done extends Op {
  readonly result: Outcome;
}

/** The worker's seeded plan: mostly on the shared default profile, some on the two others. */
function planFor(worker: number): Op[] {
  const random = seededRandom(7_000 + worker);
  return Array.from({ length: OPS_PER_WORKER }, (_, index) => {
    const profile = random() < 0.5 ? 'profile' : pick(random, PROFILES);
    const kind = int(random, 10);
    const args = kind < 5 ? ['profile', 'install', `${catalogPath}#${pick(random, PACKAGES)}`] : kind < 8 ? ['profile', 'remove', pick(random, PACKAGES)] : ['profile', 'rollback'];
    return { profile, args, spawn: (index + worker) % SPAWN_EVERY === 0 };
  });
}

/** The writer process, bundled so it runs on plain Node (classic-level resolves from node_modules). */
function bundleWorker(): { file: string; cleanup: () => void } {
  const cache = join(projectRoot, 'node_modules', '.cache', 'genledger-test');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'reliability-workers-'));
  buildSync({
    entryPoints: [join(projectRoot, 'test', 'reliability', 'workers', 'profile-writer.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    // The CLI's dynamic imports are bundled too, the fleet schema's .sql text among them.
    loader: { '.sql': 'text' },
    target: 'node20',
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  return { file: join(dir, 'profile-writer.mjs'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function runWorker(worker: string, home: string, ops: readonly Op[]): Promise<Done[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, JSON.stringify({ home, cli: cliPath, ops })], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => void (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => void (stderr += text));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`writer ended with ${code ?? signal}: ${stderr}`));
      const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Outcome & { index: number });
      resolve(lines.map(({ index, ...result }) => ({ ...(ops[index] as Op), result })));
    });
  });
}

describe('eight concurrent writers on three profiles', () => {
  let scratch: Scratch;
  let home: string;
  let cli: InProcessCli;
  let done: Done[];
  let log: LoggedEvent[];

  beforeAll(async () => {
    scratch = makeScratch('concurrent');
    home = join(scratch.dir, 'home');
    cli = inProcessCli(home);
    const worker = bundleWorker();
    try {
      const plans = Array.from({ length: WORKERS }, (_, index) => planFor(index));
      done = (await Promise.all(plans.map((plan) => runWorker(worker.file, home, plan)))).flat();
    } finally {
      worker.cleanup();
    }
    log = await readLog(cli);
  }, 170_000);
  afterAll(() => scratch?.cleanup());

  it('ran 200 commands, each ending with exit 0, 1 or 3 and one clean line of output, never a signal or a stack trace', () => {
    expect(done).toHaveLength(WORKERS * OPS_PER_WORKER);
    expect(done.filter((op) => op.spawn).length).toBeGreaterThanOrEqual(WORKERS * OPS_PER_WORKER / SPAWN_EVERY);
    for (const { args, result } of done) {
      const what = `${args.join(' ')} → ${result.code}: ${result.stderr}`;
      expect(result.signal, what).toBeNull();
      expect([0, 1, 3], what).toContain(result.code);
      expect(result.stderr, what).not.toMatch(/\n\s+at |internal error/);
      const errors = result.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('genledger: waiting for the database lock held by '));
      if (result.code === 0) {
        expect(errors, what).toEqual([]);
        expect(JSON.parse(result.stdout), what).toMatchObject({ events: expect.any(Array) });
        continue;
      }
      expect(errors, what).toHaveLength(1);
      const { error } = JSON.parse(errors[0] ?? '') as { error: { code: string; message: string } };
      if (result.code === 1) expect(LEGITIMATE_REFUSALS, what).toContain(error.code);
      else {
        expect(error.code, what).toBe('GENLEDGER_LOCK_TIMEOUT');
        expect(error.message, what).toMatch(/pid \d+/);
      }
    }
  });

  it('logged exactly the events the successful commands reported, each once, per profile in unbroken version order', () => {
    for (const profile of PROFILES) {
      const reported = done
        .filter((op) => op.profile === profile && op.result.code === 0)
        .flatMap((op) => (JSON.parse(op.result.stdout) as { events: string[] }).events);
      const logged = log.filter((event) => event.stream === profile);
      expect(logged.map((event) => event.type).sort(), profile).toEqual([...reported].sort());
      expect(logged.map((event) => event.version)).toEqual(logged.map((_, index) => index + 1));
    }
    expect(log.filter((event) => !PROFILES.includes(event.stream as (typeof PROFILES)[number]))).toEqual([]);
    expect(new Set(log.map((event) => event.id)).size).toBe(log.length);
    expect(log.map((event) => event.seq)).toEqual(log.map((_, index) => index + 1));
    expect(log.length).toBeGreaterThan(PROFILES.length * 2);
  });

  it('gave every new generation of a profile its own number, and links every one of them', async () => {
    for (const profile of PROFILES) {
      // A change whose result equals the newest generation switches back to it instead (Nix reuses it): created is false.
      const created = log
        .filter((event) => event.stream === profile && GENERATION_EVENTS.has(event.type))
        .map((event) => event.data as { generation: number; created: boolean })
        .filter((data) => data.created)
        .map((data) => data.generation);
      expect(new Set(created).size, profile).toBe(created.length);
      const listed = await expectLinksMatchLedger(cli, home, profile);
      expect(listed.generations.map((g) => g.generation).filter((n) => n > 0)).toEqual([...created].sort((a, b) => a - b));
    }
  });

  it('passes verify and leaves no temporary entries', async () => {
    const report = await cli('verify', '--json');
    expect(JSON.parse(report.stdout).problems).toEqual([]);
    expect(report.code).toBe(0);
    expect(tempLeftovers(home)).toEqual([]);
  });
});
