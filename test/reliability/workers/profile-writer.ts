/**
 * Child process for the concurrent-writers test: one writer running its
 * share of profile commands, one after the other, each a whole genledger
 * invocation that opens (and waits for) the database itself. Most run
 * through `runCli` inside this process, as the CLI's main does; those
 * marked `spawn` run as a separate `node bin/genledger` process, so real
 * exit statuses are in the mix. Usage: profile-writer PLAN_JSON, where the
 * plan is `{ home, cli, ops: [{ profile, args, spawn }] }`. Prints one JSON
 * line per command: `{ index, code, signal, stdout, stderr }`.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { runCli } from '../../../src/cli/run-cli.js';
import type { World } from '../../../src/world.js';

interface Plan {
  readonly home: string;
  readonly cli: string;
  readonly ops: ReadonlyArray<{ profile: string; args: string[]; spawn: boolean }>;
}

const plan = JSON.parse(process.argv[2] ?? '{}') as Plan;
const user = userInfo();

async function inProcess(argv: string[]): Promise<{ code: number; signal: null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const world: World = {
    now: () => new Date(),
    actor: { user: user.username, uid: user.uid, host: hostname() },
    newId: () => randomUUID(),
    pid: process.pid,
    argv,
    env: {},
    cwd: process.cwd(),
    stdout: { write: (text) => void (stdout += text), isTTY: false },
    stderr: { write: (text) => void (stderr += text), isTTY: false },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  const code = await runCli(argv, world);
  return { code, signal: null, stdout, stderr };
}

function spawned(argv: string[]): { code: number | null; signal: string | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GENLEDGER_')));
  const result = spawnSync(process.execPath, [plan.cli, ...argv], { encoding: 'utf8', env, timeout: 120_000 });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

for (const [index, op] of plan.ops.entries()) {
  const argv = ['--home', plan.home, '--json', '--lock-timeout', '60', '-p', op.profile, ...op.args];
  const outcome = op.spawn ? spawned(argv) : await inProcess(argv);
  process.stdout.write(`${JSON.stringify({ index, ...outcome })}\n`);
}
