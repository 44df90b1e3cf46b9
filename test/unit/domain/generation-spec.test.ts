import { describe, expect, it } from 'vitest';
import { ExitCode, GenledgerError } from '../../../src/errors.js';
import { parseDeletionSpecs, parseOlderThan } from '../../../src/domain/generation-spec.js';
import type { GenerationSpec } from '../../../src/domain/generation-spec.js';
import { genledgerFailure } from './genledger-failure.js';

describe('delete-generations arguments', () => {
  it.each<[readonly string[], GenerationSpec]>([
    [['old'], { kind: 'old' }],
    [['3'], { kind: 'numbers', numbers: [3] }],
    [['5', '1', '3', '1'], { kind: 'numbers', numbers: [1, 3, 5] }],
    [['007'], { kind: 'numbers', numbers: [7] }],
    [['0'], { kind: 'numbers', numbers: [0] }],
    [['+1'], { kind: 'keep-last', count: 1 }],
    [['+10'], { kind: 'keep-last', count: 10 }],
    [['+01'], { kind: 'keep-last', count: 1 }],
    [['30d'], { kind: 'older-than', days: 30 }],
    [['01d'], { kind: 'older-than', days: 1 }],
    [['999999999999999'], { kind: 'numbers', numbers: [999999999999999] }],
  ])('%j parses as %j', (args, expected) => {
    expect(parseDeletionSpecs(args)).toEqual(expected);
  });

  it.each<[readonly string[], string]>([
    [['+0'], "invalid number of generations to keep '+0'"],
    [['+'], "invalid number of generations to keep '+'"],
    [['+x'], "invalid number of generations to keep '+x'"],
    [['+-1'], "invalid number of generations to keep '+-1'"],
    [['0d'], "invalid number of days specifier '0d'"],
    [['d'], "invalid number of days specifier 'd'"],
    [['2.5d'], "invalid number of days specifier '2.5d'"],
    [['+1d'], "invalid number of days specifier '+1d'"],
    [['3x'], "invalid generation number '3x'"],
    [['-1'], "invalid generation number '-1'"],
    [['old', '3'], "invalid generation number 'old'"],
    [['1d', '3'], "invalid generation number '1d'"],
    [['3', '+2'], "invalid generation number '+2'"],
    [['1000000000000000'], "invalid generation number '1000000000000000'"],
    [[], 'no generations to delete were given'],
  ])('%j is a usage error: %s', (args, message) => {
    const error = genledgerFailure(() => parseDeletionSpecs(args));
    expect(error.code).toBe('GENLEDGER_BAD_GENERATION_SPEC');
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toBe(message);
    expect(error.hint).toContain("'+N' (keep the last N)");
  });
});

describe('wipe-history --older-than', () => {
  it('parses Nd into days', () => {
    expect(parseOlderThan('14d')).toEqual({ kind: 'older-than', days: 14 });
  });

  it.each(['14', '0d', 'd', '14days', '-1d', ' 1d', '1000000000000d'])('rejects %j as a usage error', (text) => {
    const error = genledgerFailure(() => parseOlderThan(text));
    expect(error.code).toBe('GENLEDGER_BAD_GENERATION_SPEC');
    expect(error.message).toBe(`invalid number of days specifier '${text}'`);
  });

  it('accepts the largest day count whose span in seconds is still exact', () => {
    const days = Math.floor(Number.MAX_SAFE_INTEGER / 86_400);
    expect(parseOlderThan(`${days}d`)).toEqual({ kind: 'older-than', days });
    expect(() => parseOlderThan(`${days + 1}d`)).toThrow(GenledgerError);
  });
});
