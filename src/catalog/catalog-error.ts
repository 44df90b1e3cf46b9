/**
 * How a bad catalog is reported: one code, `GENLEDGER_BAD_CATALOG`, and a
 * one-line message that starts with the catalog's origin so the user knows
 * which file to fix. Names taken from the catalog or the command line are
 * quoted so that control characters or a very long key cannot break the
 * line or flood the terminal.
 */
import { refused } from '../errors.js';
import type { GenledgerError } from '../errors.js';

const shownNameLength = 64;

export function badCatalog(origin: string, message: string, hint?: string): GenledgerError {
  return refused('GENLEDGER_BAD_CATALOG', `catalog '${origin}': ${message}`, hint);
}

/** `'name'` for printable text, a JSON string literal when it holds control characters; long text is cut. */
export function quoteName(text: string): string {
  const shown = text.length > shownNameLength ? `${text.slice(0, shownNameLength)}…` : text;
  return /[\p{Cc}\p{Zl}\p{Zp}']/u.test(shown) ? JSON.stringify(shown) : `'${shown}'`;
}
