import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import { activationEvent, decideSystem } from '../../../src/domain/system-decide.js';
import type { SystemCommand, SystemDecision } from '../../../src/domain/system-decide.js';
import type { ActivationOutcome, SystemEvent } from '../../../src/domain/system-events.js';
import { evolveSystem, initialSystemProfileState, runningSystemPath } from '../../../src/domain/system-profile.js';
import type { SystemProfileState } from '../../../src/domain/system-profile.js';
import { describeActivationFailure, systemProfileStatus } from '../../../src/domain/system-status.js';
import { genledgerFailure } from './genledger-failure.js';

const A = '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-nixos-system-a';
const B = '/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-nixos-system-b';
const C = '/nix/store/cccccccccccccccccccccccccccccccc-nixos-system-c';

const ok: ActivationOutcome = { status: 'succeeded', exitCode: 0, signal: null, timedOut: false, durationMs: 1500, outputTail: 'done\n', outputBytes: 5 };
const exit3: ActivationOutcome = { ...ok, status: 'failed', exitCode: 3, outputTail: 'error: unit failed\n', outputBytes: 19 };

/** Folds events as the ledger would, one minute apart from 2026-11-23T10:00Z. */
function fold(state: SystemProfileState, events: readonly SystemEvent[]): SystemProfileState {
  return events.reduce(
    (current, event) => evolveSystem(current, event, { at: new Date(Date.UTC(2026, 10, 23, 10, current.version)).toISOString(), version: current.version + 1 }),
    state,
  );
}

/** Decides a command and records it with the given activation outcome, as the app layer does. */
function perform(state: SystemProfileState, command: SystemCommand, outcome: ActivationOutcome = ok): { decision: SystemDecision; after: SystemProfileState } {
  const decision = decideSystem(state, command);
  const activated = decision.activation === null ? [] : [activationEvent(decision.activation, outcome)];
  return { decision, after: fold(state, [...decision.events, ...activated]) };
}

function given(...commands: SystemCommand[]): SystemProfileState {
  return commands.reduce((state, command) => perform(state, command).after, initialSystemProfileState);
}

const onGeneration = (generation: number) => ({ kind: 'generation', generation }) as const;

describe('system switch and boot', () => {
  it('switch on a fresh system sets generation 1 and plans its switch activation', () => {
    const { decision, after } = perform(initialSystemProfileState, { kind: 'switch', systemPath: A });
    expect(decision.events).toEqual([
      { type: 'SystemProfileSet', data: { action: 'switch', how: 'set', from: null, generation: 1, created: true, systemPath: A, configurationLimit: 10, build: null } },
    ]);
    expect(decision.activation).toEqual({ action: 'switch', systemPath: A, generation: 1 });
    expect(after.machine).toEqual({ bootDefault: 1, running: onGeneration(1), booted: null });
    expect(after.generations[1]).toEqual({ number: 1, createdAt: '2026-11-23T10:00:00.000Z', systemPath: A });
  });

  it('switching to the path of the highest generation reuses it, as nix-env --set does', () => {
    const { decision } = perform(given({ kind: 'switch', systemPath: A }), { kind: 'switch', systemPath: A });
    expect(decision.events[0]?.data).toMatchObject({ generation: 1, created: false, from: 1 });
  });

  it('after a rollback, the highest generation is reused for its path and a new path gets the next number', () => {
    const rolledBack = given({ kind: 'switch', systemPath: A }, { kind: 'switch', systemPath: B }, { kind: 'rollback' });
    expect(rolledBack.machine.bootDefault).toBe(1);
    expect(decideSystem(rolledBack, { kind: 'switch', systemPath: B }).events[0]?.data).toMatchObject({ generation: 2, created: false });
    expect(decideSystem(rolledBack, { kind: 'switch', systemPath: C }).events[0]?.data).toMatchObject({ generation: 3, created: true });
  });

  it('boot makes a generation the boot default and leaves the running one alone', () => {
    const { decision, after } = perform(given({ kind: 'switch', systemPath: A }), { kind: 'boot', systemPath: B });
    expect(decision.activation).toEqual({ action: 'boot', systemPath: B, generation: 2 });
    expect(after.machine).toEqual({ bootDefault: 2, running: onGeneration(1), booted: null });
    expect(runningSystemPath(after)).toBe(A);
  });

  it('boot then reboot runs and boots the new generation', () => {
    const after = given({ kind: 'switch', systemPath: A }, { kind: 'boot', systemPath: B }, { kind: 'reboot' });
    expect(after.machine).toEqual({ bootDefault: 2, running: onGeneration(2), booted: 2 });
    expect(after.bootedSince).toBe(after.runningSince);
  });
});

describe('system test and reboot', () => {
  it('test records no profile change, only an activation, and runs the path', () => {
    const before = given({ kind: 'switch', systemPath: A });
    const { decision, after } = perform(before, { kind: 'test', systemPath: B });
    expect(decision.events).toEqual([]);
    expect(decision.activation).toEqual({ action: 'test', systemPath: B, generation: null });
    expect(after.machine).toEqual({ bootDefault: 1, running: { kind: 'test', path: B }, booted: null });
    expect(after.generations).toEqual(before.generations);
  });

  it('test then reboot loses the test activation', () => {
    const after = given({ kind: 'switch', systemPath: A }, { kind: 'test', systemPath: B }, { kind: 'reboot' });
    expect(after.machine).toEqual({ bootDefault: 1, running: onGeneration(1), booted: 1 });
    expect(runningSystemPath(after)).toBe(A);
  });

  it('reboot records what it booted and what ran before', () => {
    const state = given({ kind: 'switch', systemPath: A }, { kind: 'test', systemPath: B });
    expect(decideSystem(state, { kind: 'reboot' })).toEqual({
      events: [{ type: 'Rebooted', data: { generation: 1, systemPath: A, previouslyRunning: B } }],
      activation: null,
      activationBuild: null,
    });
  });

  it('refuses to reboot when nothing is set to boot', () => {
    const error = genledgerFailure(() => decideSystem(given({ kind: 'test', systemPath: A }), { kind: 'reboot' }));
    expect(error.code).toBe('GENLEDGER_NOTHING_TO_BOOT');
    expect(error.exitCode).toBe(ExitCode.refused);
  });
});

describe('system rollback', () => {
  it('after a test, switches the profile back to the generation before the boot default', () => {
    const state = given({ kind: 'switch', systemPath: A }, { kind: 'switch', systemPath: B }, { kind: 'test', systemPath: C });
    const { decision, after } = perform(state, { kind: 'rollback' });
    expect(decision.events).toEqual([
      { type: 'SystemProfileSet', data: { action: 'switch', how: 'rollback', from: 2, generation: 1, created: false, systemPath: A, configurationLimit: 10, build: null } },
    ]);
    expect(decision.activation).toEqual({ action: 'switch', systemPath: A, generation: 1 });
    expect(after.machine).toEqual({ bootDefault: 1, running: onGeneration(1), booted: null });
  });

  it('refuses from the first generation: a system has no empty generation', () => {
    const error = genledgerFailure(() => decideSystem(given({ kind: 'switch', systemPath: A }), { kind: 'rollback' }));
    expect(error.code).toBe('GENLEDGER_NO_OLDER_GENERATION');
  });
});

describe('system switch-generation and delete-generations', () => {
  const now = Date.UTC(2026, 10, 30) / 1000;

  it('switch-generation is a switch to an existing generation, recorded with its own how', () => {
    const { decision, after } = perform(given({ kind: 'switch', systemPath: A }, { kind: 'switch', systemPath: B }), { kind: 'switch-generation', generation: 1 });
    expect(decision.events).toEqual([
      { type: 'SystemProfileSet', data: { action: 'switch', how: 'switch-generation', from: 2, generation: 1, created: false, systemPath: A, configurationLimit: 10, build: null } },
    ]);
    expect(after.machine).toEqual({ bootDefault: 1, running: onGeneration(1), booted: null });
  });

  it('switch-generation refuses a generation that does not exist', () => {
    const error = genledgerFailure(() => decideSystem(given({ kind: 'switch', systemPath: A }), { kind: 'switch-generation', generation: 4 }));
    expect(error).toMatchObject({ code: 'GENLEDGER_NO_SUCH_GENERATION', exitCode: ExitCode.refused });
  });

  it('delete-generations keeps the boot default, the booted and the running generation, and the fold drops the deleted ones', () => {
    const state = given(
      { kind: 'switch', systemPath: C },
      { kind: 'switch', systemPath: A },
      { kind: 'reboot' },
      { kind: 'switch', systemPath: B },
      { kind: 'boot', systemPath: C },
    );
    const { decision, after } = perform(state, { kind: 'delete-generations', spec: ['--keep', '0'], nowSeconds: now });
    expect(decision).toEqual({ events: [{ type: 'SystemGenerationsDeleted', data: { generations: [1], spec: ['--keep', '0'] } }], activation: null, activationBuild: null });
    expect(Object.keys(after.generations)).toEqual(['2', '3', '4']);
    expect(after.deletedGenerations).toEqual([1]);
    expect(decideSystem(after, { kind: 'delete-generations', spec: ['old'], nowSeconds: now }).events).toEqual([]);
    const inUse = genledgerFailure(() => decideSystem(after, { kind: 'delete-generations', spec: ['3'], nowSeconds: now }));
    expect(inUse).toMatchObject({ code: 'GENLEDGER_DELETE_GENERATION_IN_USE', exitCode: ExitCode.refused });
  });
});

describe('failed activations', () => {
  it('a failed switch leaves the boot default moved and the running system as it was, and says so', () => {
    const { after } = perform(given({ kind: 'switch', systemPath: A }), { kind: 'switch', systemPath: B }, exit3);
    expect(after.machine).toEqual({ bootDefault: 2, running: onGeneration(1), booted: null });
    expect(after.lastActivation).toMatchObject({ action: 'switch', generation: 2, outcome: exit3 });
    expect(systemProfileStatus(after)).toEqual([
      { kind: 'reboot-pending', message: 'boot default is generation 2 but generation 1 is running: reboot to use it' },
      { kind: 'activation-failed', message: 'the last activation, switch-to-configuration switch of generation 2 at 2026-11-23T10:03:00.000Z, failed with exit status 3' },
    ]);
  });

  it('a failed test leaves the running system as it was', () => {
    const { after } = perform(given({ kind: 'switch', systemPath: A }), { kind: 'test', systemPath: B }, exit3);
    expect(after.machine.running).toEqual(onGeneration(1));
  });

  it('a reboot after a failed activation clears the failure from the status', () => {
    const failed = perform(given({ kind: 'switch', systemPath: A }), { kind: 'switch', systemPath: B }, exit3).after;
    const rebooted = perform(failed, { kind: 'reboot' }).after;
    expect(rebooted.machine).toEqual({ bootDefault: 2, running: onGeneration(2), booted: 2 });
    expect(systemProfileStatus(rebooted)).toEqual([]);
  });

  it.each<[string, ActivationOutcome, string]>([
    ['an exit status', exit3, 'failed with exit status 3'],
    ['a signal', { ...exit3, exitCode: null, signal: 'SIGTERM' }, 'was killed by SIGTERM'],
    ['a timeout', { ...exit3, exitCode: null, signal: 'SIGKILL', timedOut: true, durationMs: 600_000 }, 'timed out after 600 s and was killed'],
    ['a script that could not start', { ...exit3, exitCode: null }, 'could not be started'],
    ['success', ok, ''],
  ])('describes a failure by %s', (_, outcome, text) => {
    expect(describeActivationFailure(outcome)).toBe(text);
  });
});

describe('configuration limit', () => {
  it('is recorded with the profile change and kept for later ones', () => {
    const limited = perform(given({ kind: 'switch', systemPath: A }), { kind: 'boot', systemPath: B, configurationLimit: 3 });
    expect(limited.decision.events[0]?.data).toMatchObject({ configurationLimit: 3 });
    expect(decideSystem(limited.after, { kind: 'switch', systemPath: C }).events[0]?.data).toMatchObject({ configurationLimit: 3 });
    expect(decideSystem(limited.after, { kind: 'rollback', configurationLimit: 5 }).events[0]?.data).toMatchObject({ configurationLimit: 5 });
  });

  it('refuses a limit below 1 as a usage error before deciding anything', () => {
    const error = genledgerFailure(() => decideSystem(initialSystemProfileState, { kind: 'switch', systemPath: A, configurationLimit: 0 }));
    expect(error.code).toBe('GENLEDGER_BAD_CONFIGURATION_LIMIT');
    expect(error.exitCode).toBe(ExitCode.usage);
  });
});

describe('evolveSystem', () => {
  it('refuses an event that is not a system event as an integrity failure', () => {
    const stray = { type: 'PackagesInstalled', data: {} } as unknown as SystemEvent;
    const error = genledgerFailure(() => evolveSystem(initialSystemProfileState, stray, { at: '2026-11-23T10:00:00.000Z', version: 1 }));
    expect(error.code).toBe('GENLEDGER_NOT_A_SYSTEM_EVENT');
    expect(error.exitCode).toBe(ExitCode.integrity);
  });

  it('dates each pointer by the event that moved it', () => {
    const state = given({ kind: 'switch', systemPath: A }, { kind: 'boot', systemPath: B }, { kind: 'test', systemPath: C });
    expect([state.bootDefaultSince, state.runningSince, state.bootedSince]).toEqual(['2026-11-23T10:02:00.000Z', '2026-11-23T10:04:00.000Z', null]);
  });
});
