import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import type { GenerationSummary } from '../../../src/domain/generation-rules.js';
import {
  applySystemTransition,
  initialSystemState,
  rollbackTransition,
  systemStatus,
} from '../../../src/domain/system-state.js';
import type { SystemState, SystemTransition } from '../../../src/domain/system-state.js';
import { genledgerFailure } from './genledger-failure.js';

const TEST_PATH = '/nix/store/0000000000000000000000000000test-nixos-system-test';

const systems = (...numbers: number[]): GenerationSummary[] =>
  numbers.map((number) => ({ number, createdAt: 1_800_000_000 + number, storePath: `/nix/store/${number}-nixos-system` }));

const run = (transitions: readonly SystemTransition[], from: SystemState = initialSystemState): SystemState =>
  transitions.reduce(applySystemTransition, from);

const onGeneration = (generation: number) => ({ kind: 'generation', generation }) as const;

describe('system transitions', () => {
  it.each<[string, SystemTransition[], SystemState]>([
    ['switch boots and runs the generation', [{ kind: 'switch', generation: 1 }], { bootDefault: 1, running: onGeneration(1), booted: null }],
    ['boot only changes what boots', [{ kind: 'switch', generation: 1 }, { kind: 'boot', generation: 2 }], { bootDefault: 2, running: onGeneration(1), booted: null }],
    [
      'boot then reboot runs the new generation',
      [{ kind: 'switch', generation: 1 }, { kind: 'boot', generation: 2 }, { kind: 'reboot' }],
      { bootDefault: 2, running: onGeneration(2), booted: 2 },
    ],
    [
      'test runs a path without touching what boots',
      [{ kind: 'switch', generation: 1 }, { kind: 'test', path: TEST_PATH }],
      { bootDefault: 1, running: { kind: 'test', path: TEST_PATH }, booted: null },
    ],
    [
      'test then reboot loses the test activation',
      [{ kind: 'switch', generation: 1 }, { kind: 'test', path: TEST_PATH }, { kind: 'reboot' }],
      { bootDefault: 1, running: onGeneration(1), booted: 1 },
    ],
    [
      'switch after a test replaces the test activation',
      [{ kind: 'switch', generation: 1 }, { kind: 'test', path: TEST_PATH }, { kind: 'switch', generation: 2 }],
      { bootDefault: 2, running: onGeneration(2), booted: null },
    ],
    ['reboot with nothing installed runs nothing', [{ kind: 'reboot' }], { bootDefault: null, running: null, booted: null }],
    [
      'boot then test then reboot runs the booted generation, not the test',
      [{ kind: 'switch', generation: 1 }, { kind: 'boot', generation: 2 }, { kind: 'test', path: TEST_PATH }, { kind: 'reboot' }],
      { bootDefault: 2, running: onGeneration(2), booted: 2 },
    ],
    [
      'an observed boot of a generation runs it, whatever the boot default, and a test from before is gone',
      [{ kind: 'switch', generation: 1 }, { kind: 'boot', generation: 2 }, { kind: 'test', path: TEST_PATH }, { kind: 'booted', generation: 1 }],
      { bootDefault: 2, running: onGeneration(1), booted: 1 },
    ],
    [
      'an observed boot of no known generation runs nothing genledger knows',
      [{ kind: 'switch', generation: 1 }, { kind: 'test', path: TEST_PATH }, { kind: 'booted', generation: null }],
      { bootDefault: 1, running: null, booted: null },
    ],
    [
      'a second reboot changes nothing',
      [{ kind: 'switch', generation: 1 }, { kind: 'reboot' }, { kind: 'reboot' }],
      { bootDefault: 1, running: onGeneration(1), booted: 1 },
    ],
    [
      'test with nothing installed runs the path, and reboot then runs nothing',
      [{ kind: 'test', path: TEST_PATH }, { kind: 'reboot' }],
      { bootDefault: null, running: null, booted: null },
    ],
  ])('%s', (_, transitions, expected) => {
    expect(run(transitions)).toEqual(expected);
  });

  it('does not mutate the state it is given', () => {
    const before = Object.freeze(run([{ kind: 'switch', generation: 1 }]));
    expect(() => applySystemTransition(before, { kind: 'reboot' })).not.toThrow();
    expect(before).toEqual({ bootDefault: 1, running: onGeneration(1), booted: null });
  });
});

describe('system rollback', () => {
  it('after switch and test, rolls back to the previous generation, which boots and runs', () => {
    const state = run([
      { kind: 'switch', generation: 1 },
      { kind: 'switch', generation: 2 },
      { kind: 'test', path: TEST_PATH },
    ]);
    const transition = rollbackTransition(state, systems(1, 2));
    expect(transition).toEqual({ kind: 'switch', generation: 1 });
    expect(applySystemTransition(state, transition)).toEqual({ bootDefault: 1, running: onGeneration(1), booted: null });
  });

  it('rolls back from the boot default, not from a test activation or a pending boot', () => {
    const state = run([{ kind: 'switch', generation: 3 }, { kind: 'boot', generation: 5 }]);
    expect(rollbackTransition(state, systems(1, 3, 5))).toEqual({ kind: 'switch', generation: 3 });
  });

  it('after a test then a reboot, rolls back from the boot default that the reboot started', () => {
    const state = run([{ kind: 'switch', generation: 1 }, { kind: 'switch', generation: 2 }, { kind: 'test', path: TEST_PATH }, { kind: 'reboot' }]);
    const transition = rollbackTransition(state, systems(1, 2));
    expect(applySystemTransition(state, transition)).toEqual({ bootDefault: 1, running: onGeneration(1), booted: 2 });
  });

  it('skips deleted generations', () => {
    const state = run([{ kind: 'switch', generation: 5 }]);
    expect(rollbackTransition(state, systems(2, 5))).toEqual({ kind: 'switch', generation: 2 });
  });

  it.each<[string, SystemState, string]>([
    ['the first generation', run([{ kind: 'switch', generation: 1 }]), '(1)'],
    ['nothing installed', initialSystemState, '(0)'],
  ])('refuses from %s: a system has no empty generation to boot', (_, state, current) => {
    const error = genledgerFailure(() => rollbackTransition(state, systems(1)));
    expect(error.code).toBe('GENLEDGER_NO_OLDER_GENERATION');
    expect(error.exitCode).toBe(ExitCode.refused);
    expect(error.message).toBe(`no profile version older than the current ${current} exists`);
  });
});

describe('system status', () => {
  it.each<[string, SystemTransition[], { kind: string; message: string }[]]>([
    [
      'nothing installed',
      [],
      [{ kind: 'nothing-installed', message: "no system generation yet: 'genledger system switch PATH' or 'boot PATH' makes one" }],
    ],
    ['in sync after a switch', [{ kind: 'switch', generation: 6 }], []],
    ['in sync after a reboot', [{ kind: 'switch', generation: 6 }, { kind: 'reboot' }], []],
    [
      'a test activation',
      [{ kind: 'switch', generation: 6 }, { kind: 'test', path: TEST_PATH }],
      [{ kind: 'test-activation', message: `running a test activation of ${TEST_PATH} (lost at reboot, after which generation 6 boots)` }],
    ],
    [
      'a test activation with nothing to boot',
      [{ kind: 'test', path: TEST_PATH }],
      [{ kind: 'test-activation', message: `running a test activation of ${TEST_PATH} (lost at reboot, after which nothing is set to boot)` }],
    ],
    [
      'a pending boot',
      [{ kind: 'switch', generation: 6 }, { kind: 'boot', generation: 7 }],
      [{ kind: 'reboot-pending', message: 'boot default is generation 7 but generation 6 is running: reboot to use it' }],
    ],
    [
      'a boot with nothing running yet',
      [{ kind: 'boot', generation: 1 }],
      [{ kind: 'reboot-pending', message: 'boot default is generation 1 but nothing is running yet: reboot to use it' }],
    ],
    [
      'a switch since the last reboot',
      [{ kind: 'switch', generation: 6 }, { kind: 'reboot' }, { kind: 'switch', generation: 7 }],
      [{ kind: 'switched-since-boot', message: 'generation 7 is running but generation 6 was booted: switched without a reboot' }],
    ],
    [
      'a switch since the last reboot and a pending boot',
      [{ kind: 'switch', generation: 6 }, { kind: 'reboot' }, { kind: 'switch', generation: 7 }, { kind: 'boot', generation: 8 }],
      [
        { kind: 'reboot-pending', message: 'boot default is generation 8 but generation 7 is running: reboot to use it' },
        { kind: 'switched-since-boot', message: 'generation 7 is running but generation 6 was booted: switched without a reboot' },
      ],
    ],
  ])('%s', (_, transitions, expected) => {
    expect(systemStatus(run(transitions))).toEqual(expected);
  });

  it('names a running generation with no boot default', () => {
    expect(systemStatus({ bootDefault: null, running: onGeneration(3), booted: null })).toEqual([
      { kind: 'no-boot-default', message: 'generation 3 is running but no generation is set to boot' },
    ]);
  });
});
