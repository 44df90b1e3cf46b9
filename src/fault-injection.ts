/**
 * Test-only fault injection. Setting GENLEDGER_FAULT=<step>[@N][:enospc]
 * makes the process, at the N-th time (default 1) it reaches <step>, kill
 * itself with SIGKILL (a crash at that exact point) or, with `:enospc`, fail
 * as if the disk were full. The crash tests drive every mutating command
 * through every step. Unset, the injector does nothing.
 */

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
  'fleet-before-commit',
  'fleet-after-batch',
] as const;

export type FaultStep = (typeof faultSteps)[number];

export interface FaultInjector {
  reach(step: FaultStep): void;
}

export const noFaults: FaultInjector = { reach: () => undefined };

export function faultInjector(setting: string | undefined): FaultInjector {
  const match = setting === undefined ? null : /^([a-z-]+)(?:@(\d+))?(:enospc)?$/.exec(setting);
  if (match === null || !(faultSteps as readonly string[]).includes(match[1] as string)) return noFaults;
  const target = match[1] as FaultStep;
  const at = Number(match[2] ?? '1');
  const enospc = match[3] !== undefined;
  let reached = 0;
  return {
    reach(step) {
      if (step !== target || ++reached !== at) return;
      if (!enospc) process.kill(process.pid, 'SIGKILL');
      throw Object.assign(new Error(`ENOSPC: no space left on device (injected at ${step})`), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    },
  };
}
