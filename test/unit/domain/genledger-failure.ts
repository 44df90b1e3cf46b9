/** The GenledgerError a call throws, so a test can assert its code, exit status and wording. */
import { GenledgerError } from '../../../src/errors.js';

export function genledgerFailure(run: () => unknown): GenledgerError {
  try {
    run();
  } catch (error) {
    if (error instanceof GenledgerError) return error;
    throw error;
  }
  throw new Error('expected a GenledgerError, but nothing was thrown');
}
