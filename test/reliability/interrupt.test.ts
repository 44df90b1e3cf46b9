/**
 * Ctrl-C and SIGTERM through the real CLI (src/cli/stop-signals.ts): the
 * command stops at its next safe point, exits 130 (SIGINT) or 143
 * (SIGTERM) and says in one line what stopped and what the next command
 * finishes; a second signal exits at once; the home stays consistent.
 * The signal is sent while the process is paused at a known step
 * (GENLEDGER_FAULT=<step>:pause), not after a guessed sleep. Also: a big
 * install shows its tree being written on a terminal (run under script(1)),
 * and nothing off a terminal or with --quiet.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliPath, inProcessCli, ok, okJson, spawnCli } from './cli-runners.js';
import type { InProcessCli, Spawned } from './cli-runners.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

interface VerifyJson {
  problems: unknown[];
}

interface ListJson {
  generation: number | null;
  elements: { name: string }[];
}

// 6,000 files and their directories: above the 5,000 entries from which the tree is written without the lock.
const packages = 6;
const filesPerPackage = 1000;
const base = existsSync('/dev/shm') ? '/dev/shm' : undefined;
let sources: Scratch;
let scratch: Scratch;
let home: string;
let pauseFile: string;
let cli: InProcessCli;
let paths: string[];

beforeAll(() => {
  sources = makeScratch('interrupt-sources', base);
  for (let p = 0; p < packages; p++) {
    mkdirSync(join(sources.dir, `pkg${p}`, 'bin'), { recursive: true });
    for (let f = 0; f < filesPerPackage; f++) writeFileSync(join(sources.dir, `pkg${p}`, 'bin', `p${p}-${f}`), `${p} ${f}\n`);
  }
});

afterAll(() => sources.cleanup());

beforeEach(async () => {
  scratch = makeScratch('interrupt', base);
  home = join(scratch.dir, 'home');
  pauseFile = join(scratch.dir, 'paused');
  cli = inProcessCli(home);
  paths = [];
  for (let p = 0; p < packages; p++) paths.push((await ok(cli, 'store', 'add', join(sources.dir, `pkg${p}`))).stdout.trim());
});

afterEach(() => scratch.cleanup());

/** Starts the big install paused at `fault`; resolves with its pid once it is there. */
async function pausedInstall(fault: string): Promise<{ run: Promise<Spawned>; pid: number }> {
  const run = spawnCli(home, ['profile', 'install', ...paths], { fault, env: { GENLEDGER_FAULT_PAUSE: pauseFile }, timeoutMs: 120_000 });
  return { run, pid: await pausedPid(run) };
}

async function pausedPid(run: Promise<unknown>): Promise<number> {
  let ended = false;
  void run.then(() => void (ended = true));
  while (!existsSync(pauseFile) || !readFileSync(pauseFile, 'utf8').endsWith('\n')) {
    if (ended) throw new Error('the command ended before reaching its pause');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Number(readFileSync(pauseFile, 'utf8'));
}

function resume(): void {
  rmSync(pauseFile);
}

function temporaryEntries(): string[] {
  return readdirSync(join(home, 'store')).filter((name) => name.startsWith('.tmp-'));
}

async function expectConsistent(): Promise<void> {
  expect((await okJson<VerifyJson>(cli, 'verify')).problems).toEqual([]);
}

describe('a stop signal ends a command at its next safe point', () => {
  it('SIGINT while the tree is written: exit 130, one line, nothing recorded, no temporary tree left', async () => {
    const { run, pid } = await pausedInstall('during-tree-build@100:pause');
    process.kill(pid, 'SIGINT');
    resume();
    const result = await run;
    expect(result.status, result.stderr).toBe(130);
    expect(result.stderr).toBe("genledger: interrupted while building generation 1 of profile 'profile', before anything was recorded; nothing changed\n");
    expect(result.stdout).toBe('');
    expect(temporaryEntries()).toEqual([]);
    expect((await okJson<ListJson>(cli, 'profile', 'list')).generation).toBeNull();
    await expectConsistent();
    await ok(cli, 'profile', 'install', ...paths);
    expect((await okJson<ListJson>(cli, 'profile', 'list')).elements).toHaveLength(packages);
    await expectConsistent();
  });

  it('SIGTERM after the append: exit 143, the event is kept and the next command projects it', async () => {
    const { run, pid } = await pausedInstall('after-append:pause');
    process.kill(pid, 'SIGTERM');
    resume();
    const result = await run;
    expect(result.status, result.stderr).toBe(143);
    expect(result.stderr).toBe("genledger: interrupted while switching to generation 1 of profile 'profile'; the event is recorded, the next genledger command finishes it\n");
    const list = await okJson<ListJson>(cli, 'profile', 'list');
    expect(list.generation).toBe(1);
    expect(list.elements).toHaveLength(packages);
    await expectConsistent();
  });

  it('a second SIGINT exits at once with the same kind of line; the next command and gc leave a consistent home', async () => {
    const { run, pid } = await pausedInstall('during-tree-build@100:pause');
    process.kill(pid, 'SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.kill(pid, 'SIGINT');
    resume();
    const result = await run;
    expect(result.status, result.stderr).toBe(130);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.stderr).toMatch(/^genledger: interrupted while building generation 1 of profile 'profile', before anything was recorded; nothing changed\n$/);
    expect((await okJson<ListJson>(cli, 'profile', 'list')).generation).toBeNull();
    await ok(cli, 'gc');
    expect(temporaryEntries()).toEqual([]);
    await expectConsistent();
  });
});

/** Runs the CLI with its stdout and stderr on a pseudo-terminal (script(1)); returns all it wrote there and its status. */
function onTerminal(args: readonly string[], env: Record<string, string> = {}): Promise<{ output: string; status: number | null }> {
  const quoted = [process.execPath, cliPath, '--home', home, ...args].map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
  const child = spawn('script', ['-qfec', quoted, '/dev/null'], { env: { ...process.env, GENLEDGER_FAULT_PAUSE: pauseFile, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => void (output += text));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ output, status }));
  });
}

const hasScript = existsSync('/usr/bin/script') || existsSync('/bin/script');

describe.skipIf(!hasScript)('progress of a big install', () => {
  it('on a terminal: the tree being written shows on one rewritten line, cleared at the end', async () => {
    const { output, status } = await onTerminal(['profile', 'install', ...paths]);
    expect(status, output).toBe(0);
    expect(output).toMatch(/\r\x1b\[Kgenledger: writing the profile tree \d+\/\d+/);
    const total = /writing the profile tree (\d+)\/(\d+)/.exec(output.slice(output.lastIndexOf('writing the profile tree')));
    expect(total?.[1]).toBe(total?.[2]);
    // Cleared before the command's report: the last progress line is followed by the clearing.
    const last = output.lastIndexOf('genledger: writing the profile tree');
    expect(output.slice(last)).toMatch(/^genledger: writing the profile tree \d+\/\d+\r\x1b\[Kgenledger: switching profile/);
  });

  it('with --quiet on a terminal, and off a terminal: no progress at all', async () => {
    const quiet = await onTerminal(['--quiet', 'profile', 'install', ...paths.slice(0, 3)]);
    expect(quiet.status, quiet.output).toBe(0);
    expect(quiet.output).not.toContain('writing the profile tree');
    expect(quiet.output).not.toContain('\x1b[K');
    const piped = await spawnCli(home, ['profile', 'install', ...paths.slice(3)]);
    expect(piped.status, piped.stderr).toBe(0);
    expect(piped.stderr).not.toContain('writing the profile tree');
    expect(piped.stderr).not.toContain('\r');
  });

  it('Ctrl-C on a terminal: the progress line is cleared and only the interrupted line stays', async () => {
    const running = onTerminal(['profile', 'install', ...paths], { GENLEDGER_FAULT: 'during-tree-build@3000:pause' });
    const pid = await pausedPid(running);
    process.kill(pid, 'SIGINT');
    resume();
    const { output, status } = await running;
    expect(status).toBe(130);
    expect(output).toContain('genledger: writing the profile tree');
    const lastClear = output.lastIndexOf('\r\x1b[K');
    expect(output.slice(lastClear)).toBe("\r\x1b[Kgenledger: interrupted while building generation 1 of profile 'profile', before anything was recorded; nothing changed\r\n");
    await expectConsistent();
  });
});
