/**
 * Running a configuration's `bin/switch-to-configuration ACTION`, bounded:
 * the script gets a time limit (then its whole process group is killed)
 * and only the tail of its output is kept, so neither a hung activation nor
 * a chatty one can hold the ledger's lock forever or bloat an event. The
 * duration is read from the World's clock, so it is a recorded fact like
 * any other. Output is echoed to the user as it arrives unless quiet.
 * The environment is the caller's: on a real root it is the one
 * nixos-rebuild gives (`activationEnvironment`).
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { ActivationOutcome } from '../../domain/system-events.js';
import type { Output, World } from '../../world.js';

export interface ActivationLimits {
  readonly timeoutMs: number;
  readonly tailBytes: number;
}

export const defaultActivationLimits: ActivationLimits = { timeoutMs: 10 * 60_000, tailBytes: 4096 };

/** How long to wait for the output pipes to close after the script exits (a daemon it left may hold them). */
const PIPE_GRACE_MS = 2000;

export interface ActivationRun {
  readonly outcome: ActivationOutcome;
  readonly finishedAt: Date;
}

/**
 * What nixos-rebuild runs switch-to-configuration with when it cannot use
 * systemd-run: `env -i LOCALE_ARCHIVE=$LOCALE_ARCHIVE
 * NIXOS_INSTALL_BOOTLOADER=$installBootloader`, the latter `1` with
 * --install-bootloader and empty otherwise.
 */
export function activationEnvironment(callerEnv: World['env'], installBootloader: boolean): Record<string, string> {
  return { LOCALE_ARCHIVE: callerEnv.LOCALE_ARCHIVE ?? '', NIXOS_INSTALL_BOOTLOADER: installBootloader ? '1' : '' };
}

/** The activation script of a configuration whose files are at `contentsDir`, or null when it has none. */
export function activationProgram(contentsDir: string): string | null {
  const program = `${contentsDir}/bin/switch-to-configuration`;
  try {
    return statSync(program).isFile() ? program : null;
  } catch {
    return null;
  }
}

export async function runActivation(
  world: World,
  program: string,
  action: string,
  env: World['env'],
  limits: ActivationLimits,
  echo: Output | null,
): Promise<ActivationRun> {
  const started = world.now();
  const result = await runBounded(program, [action], env, limits, echo);
  const finishedAt = world.now();
  const outcome: ActivationOutcome = {
    status: result.exitCode === 0 ? 'succeeded' : 'failed',
    ...result,
    durationMs: finishedAt.getTime() - started.getTime(),
  };
  return { outcome, finishedAt };
}

interface ProcessResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly outputTail: string;
  readonly outputBytes: number;
}

function runBounded(
  program: string,
  args: readonly string[],
  env: World['env'],
  limits: ActivationLimits,
  echo: Output | null,
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    let tail = Buffer.alloc(0);
    let outputBytes = 0;
    let timedOut = false;
    let settled = false;
    const keep = (chunk: Buffer) => {
      outputBytes += chunk.length;
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > limits.tailBytes) tail = tail.subarray(tail.length - limits.tailBytes);
    };
    const child = spawn(program, args, { cwd: '/', env: definedOnly(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, limits.timeoutMs);
    const finish = (exitCode: number | null, signal: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ exitCode, signal, timedOut, outputTail: tail.toString('utf8'), outputBytes });
    };
    for (const stream of [child.stdout, child.stderr]) {
      const decoder = new StringDecoder('utf8');
      stream.on('data', (chunk: Buffer) => {
        keep(chunk);
        echo?.write(decoder.write(chunk));
      });
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      keep(Buffer.from(`genledger: cannot run ${program}: ${error.code ?? error.message}\n`));
      finish(null, null);
    });
    child.on('exit', (code, signal) => {
      const grace = setTimeout(() => finish(code, signal), PIPE_GRACE_MS);
      child.on('close', () => {
        clearTimeout(grace);
        finish(code, signal);
      });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    return;
  }
}

function definedOnly(env: World['env']): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
