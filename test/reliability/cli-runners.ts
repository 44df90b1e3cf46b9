/**
 * Two ways to run genledger on a state home: the built CLI as a separate
 * process (`node bin/genledger`, which is what a crash or a concurrent
 * writer needs), and in-process through `runCli` with a real clock and the
 * real user (fast, for setting homes up and inspecting them afterwards).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run-cli.js';
import type { Actor, World } from '../../src/world.js';

export const projectRoot = process.cwd();
export const cliPath = join(projectRoot, 'bin', 'genledger');
export const catalogPath = join(projectRoot, 'examples', 'catalog.json');

export interface Spawned {
  /** Exit status, or null when a signal ended the process. */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SpawnOptions {
  /** GENLEDGER_FAULT for this run. */
  readonly fault?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Kill the child (and fail the test) if it runs longer than this. */
  readonly timeoutMs?: number;
  /** Run as this user (the spawning process must be root). */
  readonly uid?: number;
  readonly gid?: number;
}

/** Runs `node bin/genledger --home HOME ARGS…` (HOME null: no --home). Needs dist/ (`npm run build`). */
export function spawnCli(home: string | null, args: readonly string[], options: SpawnOptions = {}): Promise<Spawned> {
  if (!existsSync(join(projectRoot, 'dist', 'cli.cjs'))) throw new Error('dist/ is missing: run npm run build (npm test does) before these tests');
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('GENLEDGER_')) env[name] = value;
  }
  Object.assign(env, options.env ?? {});
  if (options.fault !== undefined) env.GENLEDGER_FAULT = options.fault;
  const argv = [cliPath, ...(home === null ? [] : ['--home', home]), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { env, cwd: options.cwd ?? projectRoot, uid: options.uid, gid: options.gid, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => void (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => void (stderr += text));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`genledger ${args.join(' ')} did not finish within ${options.timeoutMs ?? 60_000} ms`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

export interface InProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type InProcessCli = (...argv: string[]) => Promise<InProcessResult>;

/**
 * genledger in this process on HOME (`--home` and `globalArgs` come first),
 * as `actor` (default: the real user).
 */
export function inProcessCli(home: string, options: { actor?: Partial<Actor>; globalArgs?: readonly string[] } = {}): InProcessCli {
  const real = userInfo();
  return async (...args) => {
    let stdout = '';
    let stderr = '';
    const argv = ['--home', home, ...(options.globalArgs ?? []), ...args];
    const world: World = {
      now: () => new Date(),
      actor: { user: real.username, uid: real.uid, host: hostname(), ...options.actor },
      newId: () => randomUUID(),
      pid: process.pid,
      argv,
      env: {},
      cwd: projectRoot,
      stdout: { write: (text) => void (stdout += text), isTTY: false },
      stderr: { write: (text) => void (stderr += text), isTTY: false },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    };
    const code = await runCli(argv, world);
    return { code, stdout, stderr };
  };
}

/** Runs in-process and throws, with stderr, unless the command exits 0. */
export async function ok(cli: InProcessCli, ...argv: string[]): Promise<InProcessResult> {
  const result = await cli(...argv);
  if (result.code !== 0) throw new Error(`genledger ${argv.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result;
}

export async function okJson<T>(cli: InProcessCli, ...argv: string[]): Promise<T> {
  return JSON.parse((await ok(cli, ...argv, '--json')).stdout) as T;
}
