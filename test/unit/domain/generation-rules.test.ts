import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import {
  generationsToDelete,
  nextGeneration,
  rollbackTarget,
  switchTarget,
  undoTarget,
} from '../../../src/domain/generation-rules.js';
import type { GenerationSummary, SwitchRecord } from '../../../src/domain/generation-rules.js';
import { parseDeletionSpecs } from '../../../src/domain/generation-spec.js';
import { genledgerFailure } from './genledger-failure.js';

const DAY = 86_400;
const NOW = 1_800_000_000;

const path = (name: string) => `/nix/store/${name.padEnd(32, '0')}-profile`;

function generations(...numbers: number[]): GenerationSummary[] {
  return numbers.map((number) => ({ number, createdAt: NOW - 1000 + number, storePath: path(`p${number}`) }));
}

function toDelete(list: readonly GenerationSummary[], current: number | null, args: string[], now = NOW): number[] {
  return generationsToDelete(list, current, parseDeletionSpecs(args), now, 'gprof');
}

/** A profile as the rules drive it: what `nix-env --set`, rollback, switch and delete do to the link directory. */
interface Profile {
  readonly generations: readonly GenerationSummary[];
  readonly current: number | null;
  readonly highestEverCreated: number;
}

type Action = (profile: Profile, now: number) => Profile;

const set =
  (storePath: string): Action =>
  (profile, now) => {
    const next = nextGeneration(profile.generations, storePath, profile.highestEverCreated);
    if (next.reused) return { ...profile, current: next.number };
    return {
      generations: [...profile.generations, { number: next.number, createdAt: now, storePath }],
      current: next.number,
      highestEverCreated: next.number,
    };
  };
const rollback: Action = (profile) => ({ ...profile, current: rollbackTarget(profile.generations, profile.current) });
const switchTo =
  (n: number): Action =>
  (profile) => ({ ...profile, current: switchTarget(profile.generations, n) });
const deleteGenerations =
  (...args: string[]): Action =>
  (profile, now) => {
    const gone = new Set(generationsToDelete(profile.generations, profile.current, parseDeletionSpecs(args), now, 'gprof'));
    return { ...profile, generations: profile.generations.filter((generation) => !gone.has(generation.number)) };
  };

describe('the verified nix-env sequence (spec 5.8, vector 13.7)', () => {
  type Step = { when: string; act: Action } & (
    | { then: { generations: number[]; current: number } }
    | { refused: string }
  );
  const steps: Step[] = [
    { when: 'set path 1', act: set(path('a')), then: { generations: [1], current: 1 } },
    { when: 'set path 2', act: set(path('b')), then: { generations: [1, 2], current: 2 } },
    { when: 'set path 3', act: set(path('c')), then: { generations: [1, 2, 3], current: 3 } },
    { when: 'set path 4', act: set(path('d')), then: { generations: [1, 2, 3, 4], current: 4 } },
    { when: 'set path 5', act: set(path('e')), then: { generations: [1, 2, 3, 4, 5], current: 5 } },
    { when: 'set path 5 again', act: set(path('e')), then: { generations: [1, 2, 3, 4, 5], current: 5 } },
    { when: 'rollback', act: rollback, then: { generations: [1, 2, 3, 4, 5], current: 4 } },
    { when: 'delete 3', act: deleteGenerations('3'), then: { generations: [1, 2, 4, 5], current: 4 } },
    { when: 'rollback over the gap', act: rollback, then: { generations: [1, 2, 4, 5], current: 2 } },
    { when: 'set a new path', act: set(path('f')), then: { generations: [1, 2, 4, 5, 6], current: 6 } },
    { when: 'switch to 4', act: switchTo(4), then: { generations: [1, 2, 4, 5, 6], current: 4 } },
    { when: 'delete +2', act: deleteGenerations('+2'), then: { generations: [2, 4, 5, 6], current: 4 } },
    { when: 'delete the current 4', act: deleteGenerations('4'), refused: 'GENLEDGER_DELETE_CURRENT_GENERATION' },
    { when: 'delete old', act: deleteGenerations('old'), then: { generations: [4], current: 4 } },
  ];

  it('gives the generations and current generation real Nix gave, step by step', () => {
    let profile: Profile = { generations: [], current: null, highestEverCreated: 0 };
    steps.forEach((step, i) => {
      const now = NOW + i * 60;
      if ('refused' in step) {
        expect(genledgerFailure(() => step.act(profile, now)).code, step.when).toBe(step.refused);
        return;
      }
      profile = step.act(profile, now);
      expect(
        { generations: profile.generations.map((generation) => generation.number), current: profile.current },
        step.when,
      ).toEqual(step.then);
    });
  });
});

describe('nextGeneration', () => {
  it('numbers the first generation 1', () => {
    expect(nextGeneration([], path('a'), 0)).toEqual({ number: 1, reused: false });
  });

  it('reuses the highest generation when it already has the store path, even when another one is current', () => {
    expect(nextGeneration(generations(1, 2, 5), path('p5'), 5)).toEqual({ number: 5, reused: true });
  });

  it('creates a new generation when only a lower one has the store path', () => {
    expect(nextGeneration(generations(1, 2, 5), path('p2'), 5)).toEqual({ number: 6, reused: false });
  });

  it('never fills a gap left by deleted generations', () => {
    expect(nextGeneration(generations(1, 5), path('x'), 5)).toEqual({ number: 6, reused: false });
  });

  it('never reuses the number of a deleted highest generation, which Nix would', () => {
    expect(nextGeneration(generations(1, 2), path('x'), 0)).toEqual({ number: 3, reused: false });
    expect(nextGeneration(generations(1, 2), path('x'), 4)).toEqual({ number: 5, reused: false });
    expect(nextGeneration([], path('x'), 4)).toEqual({ number: 5, reused: false });
  });
});

describe('rollbackTarget', () => {
  it.each<[number[], number, number]>([
    [[1, 2, 3], 3, 2],
    [[1, 2, 4], 4, 2],
    [[1, 2, 3, 4, 5], 2, 1],
    [[2, 5, 9], 9, 5],
    [[3, 1, 2], 3, 2],
  ])('given generations %j at %d, rolls back to %d', (numbers, current, expected) => {
    expect(rollbackTarget(generations(...numbers), current)).toBe(expected);
  });

  it.each<[number[], number]>([
    [[1], 1],
    [[1, 2, 3], 1],
    [[4, 7], 4],
  ])('given generations %j at the lowest, %d, rolls back to the empty generation 0', (numbers, current) => {
    expect(rollbackTarget(generations(...numbers), current)).toBe(0);
  });

  it.each<[number | null, string]>([
    [0, 'no profile version older than the current (0) exists'],
    [null, 'no profile version older than the current (0) exists'],
  ])('refuses from current %s with Nix’s message', (current, message) => {
    const error = genledgerFailure(() => rollbackTarget(generations(1, 2), current));
    expect(error.code).toBe('GENLEDGER_NO_OLDER_GENERATION');
    expect(error.exitCode).toBe(ExitCode.refused);
    expect(error.message).toBe(message);
  });
});

describe('switchTarget', () => {
  it('switches to an older or a newer existing generation', () => {
    expect(switchTarget(generations(1, 2, 3), 1)).toBe(1);
    expect(switchTarget(generations(1, 2, 3), 3)).toBe(3);
  });

  it('switches to the empty generation 0, which is never listed', () => {
    expect(switchTarget(generations(1, 2), 0)).toBe(0);
  });

  it.each([3, 4, -1])('refuses generation %d, which does not exist', (n) => {
    const error = genledgerFailure(() => switchTarget(generations(1, 2, 5), n));
    expect(error.code).toBe('GENLEDGER_NO_SUCH_GENERATION');
    expect(error.exitCode).toBe(ExitCode.refused);
    expect(error.message).toBe(`profile version ${n} does not exist`);
  });
});

describe('undoTarget', () => {
  const installs: SwitchRecord[] = [
    { from: null, to: 1 },
    { from: 1, to: 2 },
    { from: 2, to: 3 },
  ];

  it('goes back to what was current before a rollback and an install', () => {
    const switches = [...installs, { from: 3, to: 2 }, { from: 2, to: 4 }];
    expect(undoTarget(switches, generations(1, 2, 3, 4))).toBe(2);
  });

  it('undoes an undo, like cd -', () => {
    const switches = [...installs, { from: 3, to: 2 }, { from: 2, to: 4 }, { from: 4, to: 2 }];
    expect(undoTarget(switches, generations(1, 2, 3, 4))).toBe(4);
  });

  it('refuses, naming profile restore, when the generation it would go back to was deleted', () => {
    const error = genledgerFailure(() => undoTarget(installs, generations(1, 3)));
    expect(error.code).toBe('GENLEDGER_UNDO_TARGET_DELETED');
    expect(error.exitCode).toBe(ExitCode.refused);
    expect(error.hint).toContain('genledger profile restore 2');
  });

  it('passes over switches from where the profile already is', () => {
    const switches = [...installs, { from: 3, to: 3 }];
    expect(undoTarget(switches, generations(1, 2, 3))).toBe(2);
  });

  it('undoes the first install into the empty generation 0', () => {
    expect(undoTarget([{ from: null, to: 1 }], generations(1))).toBe(0);
  });

  it.each<[string, SwitchRecord[]]>([
    ['no switch yet', []],
    ['only switches from the current generation', [{ from: 2, to: 2 }]],
  ])('refuses with %s', (_, switches) => {
    const error = genledgerFailure(() => undoTarget(switches, generations(1, 2)));
    expect(error.code).toBe('GENLEDGER_NOTHING_TO_UNDO');
    expect(error.exitCode).toBe(ExitCode.refused);
  });
});

describe('generationsToDelete', () => {
  describe('old', () => {
    it.each<[number[], number | null, number[]]>([
      [[1, 2, 3, 4, 5], 3, [1, 2, 4, 5]],
      [[1, 2, 3], 3, [1, 2]],
      [[4], 4, []],
      [[1, 2], null, [1, 2]],
      [[1, 2], 0, [1, 2]],
    ])('given %j at %s, deletes %j: everything but the current, newer ones too', (numbers, current, expected) => {
      expect(toDelete(generations(...numbers), current, ['old'])).toEqual(expected);
    });
  });

  describe('explicit numbers', () => {
    it('deletes the listed generations that exist and ignores the rest', () => {
      expect(toDelete(generations(1, 2, 4, 5), 5, ['9', '4', '3', '1'])).toEqual([1, 4]);
    });

    it('never deletes the empty generation 0', () => {
      expect(toDelete(generations(1, 2), 2, ['0', '1'])).toEqual([1]);
    });

    it('refuses the whole list when it names the current generation', () => {
      const error = genledgerFailure(() => toDelete(generations(1, 2, 3), 2, ['1', '2']));
      expect(error.code).toBe('GENLEDGER_DELETE_CURRENT_GENERATION');
      expect(error.exitCode).toBe(ExitCode.refused);
      expect(error.message).toBe("cannot delete the current generation 2 of profile 'gprof'");
    });
  });

  describe('+N', () => {
    it.each<[number[], number | null, string, number[]]>([
      [[1, 2, 3, 4, 5], 5, '+2', [1, 2, 3]],
      [[1, 2, 3, 4, 5], 5, '+1', [1, 2, 3, 4]],
      [[1, 2, 3, 4, 5], 5, '+5', []],
      [[1, 2, 3, 4, 5], 5, '+9', []],
      [[1, 2, 4, 5, 6], 4, '+2', [1]],
      [[1, 2, 4, 5, 6], 4, '+1', [1, 2]],
      [[1, 2, 3], null, '+1', []],
      [[1, 2, 3], 0, '+1', []],
      [[1, 2, 3], 7, '+1', []],
    ])('given %j at %s, %s deletes %j', (numbers, current, spec, expected) => {
      expect(toDelete(generations(...numbers), current, [spec])).toEqual(expected);
    });
  });

  describe('Nd', () => {
    const cutoff = NOW - DAY;
    const dated = (...createdAts: number[]): GenerationSummary[] =>
      createdAts.map((createdAt, i) => ({ number: i + 1, createdAt, storePath: path(`d${i + 1}`) }));

    it.each<[string, GenerationSummary[], number | null, number[]]>([
      ['keeps the newest one older than the cutoff', dated(cutoff - 30, cutoff - 20, cutoff - 10, cutoff + 10), 4, [1, 2]],
      ['does not count one created exactly at the cutoff as older', dated(cutoff - 20, cutoff - 10, cutoff, cutoff + 10), 4, [1]],
      ['deletes nothing when every generation is newer', dated(cutoff, cutoff + 10), 2, []],
      ['deletes nothing when only one is older', dated(cutoff - 10, cutoff + 10), 2, []],
      ['keeps an older current generation', dated(cutoff - 30, cutoff - 20, cutoff - 10), 1, [2]],
      ['deletes older ones with no current generation', dated(cutoff - 30, cutoff - 20, cutoff - 10), null, [1, 2]],
      ['never deletes one newer than the cutoff, whatever its number', dated(cutoff + 5, cutoff - 20, cutoff - 10), 3, [2]],
    ])('%s', (_, list, current, expected) => {
      expect(toDelete(list, current, ['1d'])).toEqual(expected);
    });

    it('scales the cutoff with N', () => {
      const list = dated(NOW - 10 * DAY, NOW - 5 * DAY, NOW - 2 * DAY, NOW);
      expect(toDelete(list, 4, ['3d'])).toEqual([1]);
      expect(toDelete(list, 4, ['6d'])).toEqual([]);
      expect(toDelete(list, 4, ['1d'])).toEqual([1, 2]);
    });
  });
});
