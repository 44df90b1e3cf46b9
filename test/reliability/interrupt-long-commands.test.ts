/**
 * Ctrl-C and SIGTERM in the long commands without a ledger transaction:
 * `gc` (forgetting the dead records, emptying the trash), `export` and
 * `store verify --contents` stop between two paths or streams, exit 130 or
 * 143 with one line, and leave what a crash there would leave at worst: a
 * collection `verify` reports and the next `gc` finishes, no bundle (or the
 * earlier one as it was). The process is held at a known step
 * (GENLEDGER_FAULT=<step>:pause) when the signal is sent.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stopCheckIntervalMs } from '../../src/interruption.js';
import { inProcessCli, ok, spawnCli } from './cli-runners.js';
import type { InProcessCli, Spawned } from './cli-runners.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

interface VerifyJson {
  readonly problems: Array<{ kind: string; message: string; path?: string }>;
}

// Enough trees, each big enough, that the trash is not emptied by the removal helper before the stop is seen.
const deadPaths = 40;
const filesPerPath = 50;

let scratch: Scratch;
let home: string;
let pauseFile: string;
let cli: InProcessCli;

beforeEach(() => {
  scratch = makeScratch('interrupt-long', existsSync('/dev/shm') ? '/dev/shm' : undefined);
  home = join(scratch.dir, 'home');
  pauseFile = join(scratch.dir, 'paused');
  cli = inProcessCli(home);
});

afterEach(() => scratch.cleanup());

async function addPaths(count: number, files: number): Promise<string[]> {
  const added: string[] = [];
  for (let p = 0; p < count; p++) {
    const dir = join(scratch.dir, 'src', `pkg${p}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < files; f++) writeFileSync(join(dir, `f${f}`), `${p} ${f}\n`);
    added.push((await ok(cli, 'store', 'add', dir)).stdout.trim());
  }
  return added;
}

/** Runs the CLI held at `fault`, sends `signal` there, lets it go on, and returns how it ended. */
async function stoppedAt(args: readonly string[], fault: string, signal: NodeJS.Signals = 'SIGINT'): Promise<Spawned> {
  const run = spawnCli(home, args, { fault, env: { GENLEDGER_FAULT_PAUSE: pauseFile }, timeoutMs: 120_000 });
  let ended = false;
  void run.then(() => void (ended = true));
  while (!existsSync(pauseFile) || !readFileSync(pauseFile, 'utf8').endsWith('\n')) {
    if (ended) throw new Error(`the command ended before reaching its pause: ${(await run).stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  process.kill(Number(readFileSync(pauseFile, 'utf8')), signal);
  // Held this long, the process takes a full stop point at its next item (a loop looks at most that often): not a race, it is blocked meanwhile.
  await new Promise((resolve) => setTimeout(resolve, stopCheckIntervalMs + 10));
  rmSync(pauseFile);
  return run;
}

async function verifyProblems(): Promise<VerifyJson['problems']> {
  const report = await cli('--json', 'verify');
  return (JSON.parse(report.stdout) as VerifyJson).problems;
}

async function expectFinishedByNextGc(): Promise<void> {
  await ok(cli, 'gc');
  expect(await verifyProblems()).toEqual([]);
  expect(readdirSync(join(home, 'store'))).toEqual([]);
}

describe('gc stopped by a signal', () => {
  it('SIGINT while forgetting the dead records: exit 130, one line naming gc, verify reports the half-deleted paths, the next gc finishes', async () => {
    await addPaths(5, 2);
    const result = await stoppedAt(['gc'], 'during-gc@3:pause');
    expect(result.status, result.stderr).toBe(130);
    expect(result.stderr).toBe('genledger: interrupted while forgetting dead store paths; the event is recorded, the next genledger gc finishes it\n');
    expect(result.stdout).toBe('');
    const problems = await verifyProblems();
    // Held before the third record went, it stopped there: the first two paths' trees are left for the next gc.
    const halfDeleted = problems.filter((problem) => problem.kind === 'store-half-deleted');
    expect(halfDeleted).toHaveLength(2);
    for (const problem of halfDeleted) expect(problem.message).toContain('run genledger gc');
    // As after a crash there, the checkpoint is behind the gc's event: the next command's catch-up records it.
    expect(problems.filter((problem) => problem.kind !== 'store-half-deleted').map((problem) => problem.kind)).toEqual(['checkpoint']);
    await expectFinishedByNextGc();
  });

  it('SIGTERM while emptying the trash: exit 143, the rest of the trash is reported by verify and deleted by the next gc', async () => {
    await addPaths(deadPaths, filesPerPath);
    const result = await stoppedAt(['gc'], 'after-trash:pause', 'SIGTERM');
    expect(result.status, result.stderr).toBe(143);
    expect(result.stderr).toBe('genledger: interrupted while deleting dead store paths; the event is recorded, the next genledger gc finishes it\n');
    const problems = await verifyProblems();
    expect(problems).toHaveLength(1);
    expect(problems[0]?.kind).toBe('store-half-deleted');
    expect(problems[0]?.message).toMatch(/^\d+ entries of an interrupted gc are left in the store's trash; run genledger gc$/);
    await expectFinishedByNextGc();
  });
});

describe('export stopped by a signal', () => {
  beforeEach(async () => {
    await ok(cli, 'profile', 'install', join(process.cwd(), 'examples', 'catalog.json#hello'));
    await ok(cli, '-p', 'second', 'profile', 'install', join(process.cwd(), 'examples', 'catalog.json#hello'));
  });

  it('SIGINT between two streams of a new bundle: exit 130, one line, no bundle directory left', async () => {
    const bundle = join(scratch.dir, 'bundle');
    const result = await stoppedAt(['export', '--to', bundle], 'during-export@2:pause');
    expect(result.status, result.stderr).toBe(130);
    expect(result.stderr).toMatch(/^genledger: interrupted while exporting stream '[^']+', before anything was recorded; nothing changed\n$/);
    expect(existsSync(bundle)).toBe(false);
  });

  it('SIGINT while writing the cache into an empty directory: the directory is left empty', async () => {
    const bundle = join(scratch.dir, 'empty');
    mkdirSync(bundle);
    const result = await stoppedAt(['export', '--with-store', '--to', bundle], 'during-export@3:pause');
    expect(result.status, result.stderr).toBe(130);
    expect(result.stderr).toBe('genledger: interrupted while writing the binary cache of the bundle, before anything was recorded; nothing changed\n');
    expect(readdirSync(bundle)).toEqual([]);
  });

  it('SIGINT while updating an earlier bundle: its header and streams are as they were', async () => {
    const bundle = join(scratch.dir, 'bundle');
    await ok(cli, 'export', '--to', bundle);
    const before = readdirSync(join(bundle, 'streams')).map((name) => [name, readFileSync(join(bundle, 'streams', name), 'utf8')]);
    const header = readFileSync(join(bundle, 'bundle.json'), 'utf8');
    await ok(cli, 'profile', 'remove', 'hello');
    const result = await stoppedAt(['export', '--to', bundle], 'during-export@2:pause');
    expect(result.status, result.stderr).toBe(130);
    expect(readFileSync(join(bundle, 'bundle.json'), 'utf8')).toBe(header);
    expect(readdirSync(join(bundle, 'streams')).map((name) => [name, readFileSync(join(bundle, 'streams', name), 'utf8')])).toEqual(before);
  });
});

describe('store verify --contents stopped by a signal', () => {
  it('SIGINT between two paths: exit 130, one line, and nothing to finish', async () => {
    await addPaths(4, 2);
    const result = await stoppedAt(['store', 'verify', '--contents'], 'during-store-verify@2:pause');
    expect(result.status, result.stderr).toBe(130);
    expect(result.stderr).toBe('genledger: interrupted while hashing store paths, before anything was recorded; nothing changed\n');
    expect(result.stdout).toBe('');
    await ok(cli, 'store', 'verify', '--contents');
  });
});
