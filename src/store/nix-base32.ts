/**
 * Nix's own base-32 ("nix32"), used in store path hash parts and printed
 * hashes. It is not RFC 4648: the alphabet omits `e o u t`, and the string
 * is the hash read as one little-endian number, most significant 5-bit group
 * first. Decoding is strict: the length must be the one the byte length
 * implies, every character must be in the alphabet, and the bits left over
 * above the last byte must be zero, so each byte string has exactly one text.
 */

import { refused } from '../errors.js';

const ALPHABET = '0123456789abcdfghijklmnpqrsvwxyz';

/** The number of nix32 characters for `byteLength` bytes (32 bytes → 52). */
export function nix32Length(byteLength: number): number {
  return Math.floor((byteLength * 8 - 1) / 5) + 1;
}

export function encodeNix32(bytes: Uint8Array): string {
  const n = bytes.length;
  let text = '';
  for (let k = nix32Length(n) - 1; k >= 0; k--) {
    const bit = k * 5;
    const i = bit >>> 3;
    const j = bit & 7;
    let c = (bytes[i] ?? 0) >> j;
    if (i + 1 < n) c |= (bytes[i + 1] ?? 0) << (8 - j);
    text += ALPHABET[c & 31];
  }
  return text;
}

export function decodeNix32(text: string, byteLength: number): Buffer {
  if (text.length !== nix32Length(byteLength)) {
    throw refused(
      'GENLEDGER_BAD_HASH',
      `nix32 string '${text}' has ${text.length} characters; ${nix32Length(byteLength)} are needed for ${byteLength} bytes`,
    );
  }
  const bytes = Buffer.alloc(byteLength);
  const last = text.length - 1;
  for (let p = 0; p <= last; p++) {
    const char = text.charAt(last - p);
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) {
      throw refused('GENLEDGER_BAD_HASH', `nix32 string '${text}' contains the invalid character '${char}'`);
    }
    const bit = p * 5;
    const i = bit >>> 3;
    const j = bit & 7;
    bytes[i] = (bytes[i] ?? 0) | ((digit << j) & 0xff);
    const carry = digit >> (8 - j);
    if (i + 1 < byteLength) {
      bytes[i + 1] = (bytes[i + 1] ?? 0) | carry;
    } else if (carry !== 0) {
      throw refused('GENLEDGER_BAD_HASH', `nix32 string '${text}' encodes more than ${byteLength} bytes`);
    }
  }
  return bytes;
}
