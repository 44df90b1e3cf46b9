/**
 * Test-only fault injection. Setting GENLEDGER_FAULT=<step>[@N][:enospc|:pause]
 * makes the process, at the N-th time (default 1) it reaches <step>, kill
 * itself with SIGKILL (a crash at that exact point), with `:enospc` fail
 * as if the disk were full, or with `:pause` create the file named by
 * GENLEDGER_FAULT_PAUSE and wait, blocked, until it is removed: a test
 * sends a signal there, at a known step, instead of guessing with sleeps.
 * The crash tests drive every mutating command through every step. Unset,
 * the injector does nothing.
 */
import { existsSync, writeFileSync } from 'node:fs';

export const faultSteps = [
  'after-resolve',
  'during-store-add',
  'during-tree-build',
  'before-relock',
  'after-build',
  'after-append',
  'between-temp-link-and-rename',
  'during-gc',
  'after-trash',
  'during-export',
  'during-import',
  'during-store-verify',
  'fleet-after-heads',
  'fleet-after-home',
  'fleet-before-commit',
  'fleet-after-batch',
  'fleet-before-refresh',
  'fleet-during-refresh',
] as const;

export type FaultStep = (typeof faultSteps)[number];

export interface FaultInjector {
  reach(step: FaultStep): void;
}

export const noFaults: FaultInjector = { reach: () => undefined };

export function faultInjector(setting: string | undefined, pauseFile?: string): FaultInjector {
  const match = setting === undefined ? null : /^([a-z-]+)(?:@(\d+))?(?::(enospc|pause))?$/.exec(setting);
  if (match === null || !(faultSteps as readonly string[]).includes(match[1] as string)) return noFaults;
  const target = match[1] as FaultStep;
  const at = Number(match[2] ?? '1');
  const mode = match[3];
  let reached = 0;
  return {
    reach(step) {
      if (step !== target || ++reached !== at) return;
      if (mode === 'pause') {
        if (pauseFile !== undefined) pauseUntilRemoved(pauseFile);
        return;
      }
      if (mode === undefined) process.kill(process.pid, 'SIGKILL');
      throw Object.assign(new Error(`ENOSPC: no space left on device (injected at ${step})`), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    },
  };
}

/** Blocks the whole process (as a long synchronous step does) until `file`, created here, is removed. */
function pauseUntilRemoved(file: string): void {
  writeFileSync(file, `${process.pid}\n`);
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  while (existsSync(file)) Atomics.wait(sleeper, 0, 0, 5);
}
