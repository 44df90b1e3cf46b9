/**
 * The property every reader of untrusted input must have: it returns, or it
 * throws a GenledgerError with an expected code; never a TypeError,
 * RangeError or a raw system error. (That the CLI prints it as one line is
 * checked where the CLI runs.)
 */
import { expect } from 'vitest';
import { isGenledgerError } from '../../src/errors.js';

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: string };

export function expectTotal<T>(call: () => T, codes: readonly string[], what: string): Outcome<T> {
  try {
    return { ok: true, value: call() };
  } catch (error) {
    if (!isGenledgerError(error)) {
      throw new Error(`${what}: threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}, not a GenledgerError`, { cause: error });
    }
    expect(codes, `${what}: ${error.code} ${error.message}`).toContain(error.code);
    return { ok: false, code: error.code };
  }
}
