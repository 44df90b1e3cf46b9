/**
 * A deterministic World for running the CLI in-process: a clock that
 * advances one minute per reading, counted ids, a fixed actor (or another
 * one for a single run, with `runAs`), captured output. Tests build homes
 * in temp dirs and clean them up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run-cli.js';
import type { Actor, World } from '../../src/world.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TestHome {
  dir: string;
  run(...argv: string[]): Promise<RunResult>;
  /** One run as another user (fields not given keep the home's actor). */
  runAs(actor: Partial<Actor>, ...argv: string[]): Promise<RunResult>;
  /** One run with stdout and/or stderr on a terminal of the given size. */
  runOnTerminal(terminal: Terminal, ...argv: string[]): Promise<RunResult>;
  cleanup(): void;
}

export interface Terminal {
  stdout?: { columns?: number; rows?: number };
  stderr?: { columns?: number; rows?: number };
}

export function makeTestHome(options: { start?: string; actor?: Partial<Actor>; env?: Record<string, string> } = {}): TestHome {
  const dir = mkdtempSync(join(tmpdir(), 'genledger-it-'));
  let clock = Date.parse(options.start ?? '2026-01-01T00:00:00Z');
  let ids = 0;
  const invoke = async (actor: Partial<Actor>, argv: string[], terminal: Terminal = {}): Promise<RunResult> => {
    let stdout = '';
    let stderr = '';
    const world: World = {
      now: () => new Date((clock += 60_000)),
      actor: { user: 'alice', uid: 1000, host: 'testhost', ...options.actor, ...actor },
      newId: () => `id-${++ids}`,
      pid: process.pid,
      argv,
      env: { GENLEDGER_HOME: join(dir, 'home'), ...options.env },
      cwd: process.cwd(),
      stdout: { write: (text) => void (stdout += text), isTTY: terminal.stdout !== undefined, ...terminal.stdout },
      stderr: { write: (text) => void (stderr += text), isTTY: terminal.stderr !== undefined, ...terminal.stderr },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    };
    const code = await runCli(argv, world);
    return { code, stdout, stderr };
  };
  return {
    dir,
    run: (...argv) => invoke({}, argv),
    runAs: (actor, ...argv) => invoke(actor, argv),
    runOnTerminal: (terminal, ...argv) => invoke({}, argv, terminal),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The events `log --json` prints; [] where no home is (a read command refuses it with GENLEDGER_NO_HOME: nothing was ever recorded there). */
export async function loggedEvents<T = unknown>(home: TestHome): Promise<T[]> {
  const result = await home.run('log', '--json');
  if (result.code === 1 && result.stderr.includes('"code":"GENLEDGER_NO_HOME"')) return [];
  if (result.code !== 0) throw new Error(`genledger log --json exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T[];
}
