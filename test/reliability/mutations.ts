/**
 * Seeded mutations of valid input, the way damage and hostility look:
 * flipped bytes, cut or repeated ranges, inserted fragments that parsers
 * find hard (deep nesting, huge numbers, lone surrogates, `__proto__`),
 * and, for binary formats, length fields overwritten with absurd values.
 */
import { int, pick } from './seeded-random.js';
import type { Random } from './seeded-random.js';

const TEXT_FRAGMENTS = [
  '{', '}', '[', ']', '"', ',', ':', '\\', 'null', 'true', '0', '-0', '1e999', '-1', '2147483648', '9007199254740993', '1.5',
  '"__proto__"', '"constructor"', '"\\u0000"', '"\\ud800"', '\u0000', '\ud800', '\n', '\r\n', ' ', '💥', '..', '/', '../../etc/passwd',
  '/etc/passwd', '/proc/self', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[', '{"a":{"a":{"a":{"a":', '"x":1,', '#', '?', '%00', 'd', '+',
];

/** One to three mutations of `text`. */
export function mutateText(random: Random, text: string): string {
  let result = text;
  for (let count = 1 + int(random, 3); count > 0; count--) {
    const at = int(random, result.length + 1);
    const length = 1 + int(random, 12);
    switch (int(random, 7)) {
      case 0: // replace one character
        result = `${result.slice(0, at)}${String.fromCharCode(int(random, 0x80))}${result.slice(at + 1)}`;
        break;
      case 1: // delete a range
        result = `${result.slice(0, at)}${result.slice(at + length)}`;
        break;
      case 2: // repeat a range
        result = `${result.slice(0, at + length)}${result.slice(at, at + length)}${result.slice(at + length)}`;
        break;
      case 3: // insert a fragment
        result = `${result.slice(0, at)}${pick(random, TEXT_FRAGMENTS)}${result.slice(at)}`;
        break;
      case 4: // cut the end
        result = result.slice(0, at);
        break;
      case 5: // swap a digit or a letter for another
        result = result.replace(/[0-9a-z]/g, (match, offset: number) => (offset === at ? pick(random, ['0', '9', 'z', 'A', '-']) : match));
        break;
      default: // drop a line
        result = dropLine(random, result);
    }
  }
  return result;
}

export function dropLine(random: Random, text: string): string {
  const lines = text.split('\n');
  lines.splice(int(random, lines.length), 1);
  return lines.join('\n');
}

const ABSURD_LENGTHS = [0n, 1n, 7n, 255n, 256n, 4095n, 4096n, 0xffffffffn, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n];

/** One to three mutations of `bytes` (a copy). */
export function mutateBytes(random: Random, bytes: Uint8Array): Buffer {
  let result = Buffer.from(bytes);
  for (let count = 1 + int(random, 3); count > 0; count--) {
    const at = int(random, result.length + 1);
    const length = 1 + int(random, 24);
    switch (int(random, 6)) {
      case 0:
        if (at < result.length) result[at] = int(random, 256);
        break;
      case 1: {
        // An 8-byte field (lengths, padding) replaced with an absurd value.
        const field = Math.min(Math.floor(at / 8) * 8, Math.max(0, result.length - 8));
        if (result.length >= 8) result.writeBigUInt64LE(pick(random, ABSURD_LENGTHS), field);
        break;
      }
      case 2:
        result = Buffer.concat([result.subarray(0, at), result.subarray(at + length)]);
        break;
      case 3:
        result = Buffer.concat([result.subarray(0, at + length), result.subarray(at, at + length), result.subarray(at + length)]);
        break;
      case 4:
        result = result.subarray(0, at);
        break;
      default:
        result = Buffer.concat([result.subarray(0, at), Buffer.from(Array.from({ length }, () => int(random, 256))), result.subarray(at)]);
    }
  }
  return result;
}
