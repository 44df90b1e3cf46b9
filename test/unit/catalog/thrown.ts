/**
 * The GenledgerError a call throws, so a test can assert its code, exit
 * status and wording; any other outcome (no error, or an error of another
 * type) fails the test.
 */
import { expect } from 'vitest';
import { isGenledgerError } from '../../../src/errors.js';
import type { GenledgerError } from '../../../src/errors.js';

export function thrown(call: () => unknown): GenledgerError {
  try {
    call();
  } catch (error) {
    if (isGenledgerError(error)) return error;
    throw error;
  }
  return expect.unreachable('expected a GenledgerError');
}
