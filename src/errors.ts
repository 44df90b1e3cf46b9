/**
 * Typed, expected errors. Every failure a user can cause or meet carries a
 * stable `GENLEDGER_*` code (the API that scripts and tests rely on), the exit
 * status it maps to, a one-line message stating the fact, and optionally a
 * hint saying what to do. Only `src/cli` turns these into text.
 */

export const ExitCode = {
  ok: 0,
  refused: 1,
  usage: 2,
  lockTimeout: 3,
  integrity: 4,
  internal: 70,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorCode = `GENLEDGER_${string}`;

export class GenledgerError extends Error {
  override readonly name = 'GenledgerError';

  constructor(
    readonly code: ErrorCode,
    readonly exitCode: ExitCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export function refused(code: ErrorCode, message: string, hint?: string): GenledgerError {
  return new GenledgerError(code, ExitCode.refused, message, hint);
}

export function usageError(code: ErrorCode, message: string, hint?: string): GenledgerError {
  return new GenledgerError(code, ExitCode.usage, message, hint);
}

export function integrityError(code: ErrorCode, message: string, hint?: string): GenledgerError {
  return new GenledgerError(code, ExitCode.integrity, message, hint);
}

export function isGenledgerError(value: unknown): value is GenledgerError {
  return value instanceof GenledgerError;
}
