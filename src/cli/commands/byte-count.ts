/**
 * `--max-freed` as Nix 2.8 reads it (`string2IntWithUnitPrefix`): a whole
 * number with an optional last letter K, M, G or T, in either case, each a
 * binary unit (1K = 1024). Any other letter, or text that is not a number,
 * is a usage error. genledger refuses what could not be an exact integer
 * (more than 2^53 bytes) instead of rounding it.
 */
import { usageError } from '../../errors.js';

const UNIT_SHIFT: Readonly<Record<string, number>> = { K: 10, M: 20, G: 30, T: 40 };

export function byteCount(text: string, what: string): number {
  const last = text.slice(-1).toUpperCase();
  const hasUnit = /[A-Z]/.test(last);
  if (hasUnit && UNIT_SHIFT[last] === undefined) throw bad(what, text, `invalid unit specifier '${last}'`);
  const digits = hasUnit ? text.slice(0, -1) : text;
  if (!/^\d{1,16}$/.test(digits)) throw bad(what, text, `'${digits}' is not an integer`);
  const bytes = Number(digits) * 2 ** (hasUnit ? (UNIT_SHIFT[last] ?? 0) : 0);
  if (!Number.isSafeInteger(bytes)) throw bad(what, text, 'the number is too large');
  return bytes;
}

function bad(what: string, text: string, reason: string) {
  return usageError('GENLEDGER_BAD_OPTION', `${what} takes a number of bytes with an optional K, M, G or T suffix, not '${text}': ${reason}`, `for example ${what} 500M (1K = 1024 bytes)`);
}
