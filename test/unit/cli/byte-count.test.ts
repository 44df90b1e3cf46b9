import { describe, expect, it } from 'vitest';
import { byteCount } from '../../../src/cli/commands/byte-count.js';
import { isGenledgerError } from '../../../src/errors.js';

function failure(text: string) {
  try {
    byteCount(text, '--max-freed');
  } catch (error) {
    if (isGenledgerError(error)) return { code: error.code, exitCode: error.exitCode, message: error.message };
    throw error;
  }
  throw new Error(`'${text}' was accepted`);
}

describe('--max-freed byte counts, as Nix 2.8 parses them', () => {
  it('reads plain bytes and K/M/G/T binary suffixes in either case', () => {
    expect(byteCount('0', '--max-freed')).toBe(0);
    expect(byteCount('1234', '--max-freed')).toBe(1234);
    expect(byteCount('1K', '--max-freed')).toBe(1024);
    expect(byteCount('3k', '--max-freed')).toBe(3072);
    expect(byteCount('2M', '--max-freed')).toBe(2 * 1048576);
    expect(byteCount('5g', '--max-freed')).toBe(5 * 2 ** 30);
    expect(byteCount('1T', '--max-freed')).toBe(2 ** 40);
  });

  it('refuses another unit letter, a bare suffix, signs, fractions and inexact sizes as usage errors', () => {
    expect(failure('5X')).toMatchObject({ code: 'GENLEDGER_BAD_OPTION', exitCode: 2, message: expect.stringContaining("invalid unit specifier 'X'") });
    for (const text of ['K', '', '-1', '+1', '1.5G', '1 G', '1KB', '99999999T']) expect(failure(text).exitCode).toBe(2);
  });
});
