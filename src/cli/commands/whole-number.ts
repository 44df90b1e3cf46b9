/**
 * The whole-number arguments of the profile commands (generations,
 * priorities): digits only, at most 15 of them, so the number is exact.
 */
import { usageError } from '../../errors.js';

export function wholeNumber(text: string, what: string): number {
  if (!/^\d{1,15}$/.test(text)) throw usageError('GENLEDGER_BAD_OPTION', `${what} must be a whole number, not '${text}'`);
  return Number(text);
}
