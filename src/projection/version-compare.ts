/**
 * Nix's `compareVersions` (libstore/names.cc, 2.8): versions split into
 * components at `.` and `-` and between digit runs and other runs; numbers
 * compare as numbers, `pre` sorts before anything but another `pre`, an
 * absent component sorts before a number, a number after a word (so
 * `2.3a` < `2.3.1`), and words compare by bytes.
 */

import { compareUtf8 } from '../store/nar-tree.js';

/** Negative, zero or positive, as `builtins.compareVersions` gives -1, 0 or 1. */
export function compareVersions(v1: string, v2: string): number {
  const a = { text: v1, at: 0 };
  const b = { text: v2, at: 0 };
  while (a.at < v1.length || b.at < v2.length) {
    const c1 = nextComponent(a);
    const c2 = nextComponent(b);
    if (componentsLessThan(c1, c2)) return -1;
    if (componentsLessThan(c2, c1)) return 1;
  }
  return 0;
}

function nextComponent(cursor: { text: string; at: number }): string {
  const { text } = cursor;
  while (cursor.at < text.length && isSeparator(text[cursor.at])) cursor.at++;
  const start = cursor.at;
  if (cursor.at < text.length && isDigit(text[cursor.at])) {
    while (cursor.at < text.length && isDigit(text[cursor.at])) cursor.at++;
  } else {
    while (cursor.at < text.length && !isDigit(text[cursor.at]) && !isSeparator(text[cursor.at])) cursor.at++;
  }
  return text.slice(start, cursor.at);
}

function componentsLessThan(c1: string, c2: string): boolean {
  const n1 = toInt(c1);
  const n2 = toInt(c2);
  if (n1 !== null && n2 !== null) return n1 < n2;
  if (c1 === '' && n2 !== null) return true;
  if (c1 === 'pre' && c2 !== 'pre') return true;
  if (c2 === 'pre') return false;
  if (n2 !== null) return true;
  if (n1 !== null) return false;
  return compareUtf8(c1, c2) < 0;
}

/** Nix's `string2Int<int>`: a digit run that fits a 32-bit int, otherwise not a number. */
function toInt(component: string): number | null {
  if (component === '' || !isDigit(component[0])) return null;
  const value = Number(component);
  return value <= 0x7fffffff ? value : null;
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

function isSeparator(char: string | undefined): boolean {
  return char === '.' || char === '-';
}
