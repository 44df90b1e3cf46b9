/**
 * How a recorded reason (`-m TEXT`) reads in text output. The ledger keeps
 * it whole and `--json` prints it raw; text output shows it on one line
 * with every character that could move the cursor, recolour the terminal
 * or reorder what is shown escaped (`\n`, `\x1b`, `\u202e`), so a reason
 * cannot forge or hide other lines of `log`, `history` or `blame`. On a
 * terminal a long reason is cut to the width left on its line; off a
 * terminal it is kept whole, for scripts. The recorded command line holds
 * the reason too (`-m TEXT`), so it is shown escaped the same way.
 */
import type { Output } from '../../world.js';

const named: Readonly<Record<number, string>> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r' };

// A reason keeps at least this many columns, however much of its line the rest takes.
const minimumWidth = 20;
const defaultColumns = 80;

/** C0 and C1 controls, DEL, and the invisible or bidi formatting characters that change how a line reads. */
function hidden(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff
  );
}

function escaped(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (!hidden(code)) return char;
  return named[code] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** `text` on one line, with the characters `hidden` names escaped. */
export function escapedText(text: string): string {
  return [...text].map(escaped).join('');
}

/**
 * `reason` escaped, and on a terminal cut with `…` to the columns left
 * after `used` columns of its line (never to fewer than 20).
 */
export function reasonText(reason: string, output: Pick<Output, 'isTTY' | 'columns'>, used: number): string {
  const pieces = [...reason].map(escaped);
  if (!output.isTTY) return pieces.join('');
  const width = Math.max(minimumWidth, (output.columns ?? defaultColumns) - used);
  if (pieces.reduce((total, piece) => total + piece.length, 0) <= width) return pieces.join('');
  let text = '';
  // Whole escapes only: a cut `\x1` would read as something else.
  for (const piece of pieces) {
    if (text.length + piece.length > width - 1) break;
    text += piece;
  }
  return `${text}…`;
}
