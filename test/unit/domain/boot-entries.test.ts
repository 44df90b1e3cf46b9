import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import { checkConfigurationLimit, isEntryFileName, planBootEntries } from '../../../src/domain/boot-entries.js';
import type { GenerationSummary } from '../../../src/domain/generation-rules.js';
import { genledgerFailure } from './genledger-failure.js';

const DAY = 86_400;
/** 2026-11-23 00:00:00 UTC. */
const START = Date.UTC(2026, 10, 23) / 1000;

const systems = (...numbers: number[]): GenerationSummary[] =>
  numbers.map((number) => ({ number, createdAt: START + number * DAY, storePath: `/nix/store/${number}-nixos-system` }));

const entry = (n: number) => `loader/entries/nixos-generation-${n}.conf`;

describe('boot entries', () => {
  it('writes one entry per generation, newest first, then loader.conf naming the default', () => {
    const plan = planBootEntries(systems(1, 2, 3), 3);
    expect([...plan.files.keys()]).toEqual([entry(3), entry(2), entry(1), 'loader/loader.conf']);
    expect(plan.files.get('loader/loader.conf')).toBe('timeout 5\ndefault nixos-generation-3.conf\n');
  });

  it('describes the generation in its entry, dated in UTC', () => {
    const lastSecondOfTheDay = START + DAY - 1;
    const plan = planBootEntries([{ number: 2, createdAt: lastSecondOfTheDay, storePath: '/nix/store/2-nixos-system' }], 2);
    expect(plan.files.get(entry(2))).toBe(
      [
        'title NixOS',
        'sort-key nixos',
        'version Generation 2, built on 2026-11-23',
        'linux /nix/store/2-nixos-system/kernel',
        'initrd /nix/store/2-nixos-system/initrd',
        'options init=/nix/store/2-nixos-system/init',
        '',
      ].join('\n'),
    );
  });

  it('keeps the newest ten generations by default', () => {
    const plan = planBootEntries(systems(...Array.from({ length: 12 }, (_, i) => i + 1)), 12);
    expect([...plan.files.keys()].filter((name) => name.startsWith('loader/entries/'))).toEqual(
      [12, 11, 10, 9, 8, 7, 6, 5, 4, 3].map(entry),
    );
  });

  it('keeps the default generation even when it is beyond the configuration limit', () => {
    const plan = planBootEntries(systems(1, 2, 3, 4, 5), 2, 2);
    expect([...plan.files.keys()]).toEqual([entry(5), entry(4), entry(2), 'loader/loader.conf']);
    expect(plan.files.get('loader/loader.conf')).toBe('timeout 5\ndefault nixos-generation-2.conf\n');
  });

  it('with a limit of 1 lists only the newest generation, and the default beside it', () => {
    expect([...planBootEntries(systems(1, 2, 3), 3, 1).files.keys()]).toEqual([entry(3), 'loader/loader.conf']);
    expect([...planBootEntries(systems(1, 2, 3), 1, 1).files.keys()]).toEqual([entry(3), entry(1), 'loader/loader.conf']);
  });

  it('lists every generation when the limit is above their number', () => {
    expect([...planBootEntries(systems(1, 2), 2, 100).files.keys()]).toEqual([entry(2), entry(1), 'loader/loader.conf']);
  });

  it('skips deleted generation numbers: the limit counts generations, not numbers', () => {
    expect([...planBootEntries(systems(1, 4, 9), 9, 2).files.keys()]).toEqual([entry(9), entry(4), 'loader/loader.conf']);
  });

  it('writes no default when nothing is set to boot', () => {
    const plan = planBootEntries([], null);
    expect([...plan.files]).toEqual([['loader/loader.conf', 'timeout 5\n']]);
  });

  it('refuses a default generation that does not exist', () => {
    const error = genledgerFailure(() => planBootEntries(systems(1, 2), 3));
    expect(error.code).toBe('GENLEDGER_NO_SUCH_GENERATION');
    expect(error.exitCode).toBe(ExitCode.refused);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses configuration limit %d as a usage error', (limit) => {
    for (const check of [() => planBootEntries(systems(1), 1, limit), () => checkConfigurationLimit(limit)]) {
      const error = genledgerFailure(check);
      expect(error.code).toBe('GENLEDGER_BAD_CONFIGURATION_LIMIT');
      expect(error.exitCode).toBe(ExitCode.usage);
    }
  });

  it.each([
    ['nixos-generation-1.conf', true],
    ['nixos-generation-42.conf', true],
    ['nixos-generation-0.conf', false],
    ['nixos-generation-01.conf', false],
    ['nixos-generation-1.conf.bak', false],
    ['nixos-system-profile-generation-1.conf', false],
    ['memtest.conf', false],
  ])('recognises %s as an entry genledger writes: %s', (name, expected) => {
    expect(isEntryFileName(name)).toBe(expected);
  });
});
