/**
 * JSON text byte-identical to nlohmann's `dump()` without indentation, which
 * is how Nix writes `manifest.json`: compact, object keys in byte order,
 * integers only. Strings escape `"`, `\`, and control characters (`\b \f \n
 * \r \t`, others as lower-case `\u00xx`); `/`, DEL and non-ASCII are written
 * raw. `JSON.stringify` escapes a well-formed string exactly so (checked
 * against Nix 2.8's output); what it cannot reproduce is nlohmann's refusal of
 * text that is not valid Unicode, so lone surrogates are refused here.
 */

import { refused } from '../errors.js';
import { compareUtf8 } from '../store/nar-tree.js';

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

const LONE_SURROGATE = /\p{Surrogate}/u;

/** A JavaScript string that is no UTF-8 text: nlohmann refuses to read or write it. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

export function nlohmannDump(value: JsonValue): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return dumpInteger(value);
  if (typeof value === 'string') return dumpString(value);
  if (isJsonArray(value)) return `[${value.map(nlohmannDump).join(',')}]`;
  const members = Object.entries(value)
    .sort(([a], [b]) => compareUtf8(a, b))
    .map(([key, member]) => `${dumpString(key)}:${nlohmannDump(member)}`);
  return `{${members.join(',')}}`;
}

function dumpInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`nlohmannDump: ${value} is not a safe integer`);
  return String(value);
}

function dumpString(value: string): string {
  if (hasLoneSurrogate(value)) {
    throw refused(
      'GENLEDGER_INVALID_UNICODE',
      `text ${JSON.stringify(value).slice(0, 60)} is not valid Unicode (it has a lone surrogate)`,
      'names, references and attribute paths must be valid UTF-8 text',
    );
  }
  return JSON.stringify(value);
}

/** `Array.isArray` does not narrow readonly arrays. */
function isJsonArray(value: JsonValue): value is readonly JsonValue[] {
  return Array.isArray(value);
}
