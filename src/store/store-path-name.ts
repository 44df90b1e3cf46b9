/**
 * The rules for the name part of a store path (spec 2.1). Nix 2.8's rules,
 * with its messages: non-empty, at most 211 bytes (so the base name fits in
 * 255), only `[0-9A-Za-z+\-._?=]`. Plus the rules Nix added in 2.21, which
 * are safer: not `.` or `..`, and not starting with `.-` or `..-`.
 */

import { refused } from '../errors.js';

export const MAX_STORE_PATH_NAME_BYTES = 211;

/**
 * Why `name` cannot name a store path, phrased to follow "store path '…'",
 * or undefined if it can.
 */
export function storePathNameProblem(name: string): string | undefined {
  if (name === '') return 'has an empty name';
  if (Buffer.byteLength(name) > MAX_STORE_PATH_NAME_BYTES) {
    return `has a name longer than ${MAX_STORE_PATH_NAME_BYTES} characters`;
  }
  if (name === '.' || name === '..') return `has the name '${name}', which is not allowed`;
  if (name.startsWith('.-') || name.startsWith('..-')) {
    return `has a name starting with '${name.slice(0, name.indexOf('-') + 1)}', which is not allowed`;
  }
  const illegal = /[^0-9A-Za-z+\-._?=]/u.exec(name);
  if (illegal !== null) return `contains illegal character '${illegal[0]}'`;
  return undefined;
}

/**
 * Throws unless `name` is a valid store path name. With the base name
 * (`<hash>-<name>`) the message is Nix's own, e.g.
 * `store path 'clkq…-with space' contains illegal character ' '`.
 */
export function checkStorePathName(name: string, baseName?: string): void {
  const problem = storePathNameProblem(name);
  if (problem === undefined) return;
  const message =
    baseName !== undefined
      ? `store path '${baseName}' ${problem}`
      : name === ''
        ? 'a store path name must not be empty'
        : `the store path name '${name}' ${problem}`;
  throw refused(
    'GENLEDGER_BAD_STORE_PATH_NAME',
    message,
    "a store path name may use only letters, digits and '+-._?=', at most 211 of them",
  );
}
