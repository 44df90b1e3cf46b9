/**
 * Nix 2.8's value printer (`Value::print`, spec 8.2), the format of a
 * nix-env `env-manifest.nix`: lists `[ a b ]`, attribute sets
 * `{ a = 1; b = "x"; }` with names in byte order, strings with `"`, `\`,
 * LF, CR, TAB and `${` escaped, integers in decimal, no trailing newline.
 * It is the inverse of nix-value-parse.ts for the values genledger keeps.
 */
import type { NixEnvMetaValue } from '../domain/nix-env-fields.js';
import { compareUtf8 } from '../store/nar-tree.js';

export function printNixValue(value: NixEnvMetaValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return printNixString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`printNixValue: ${value} is not an integer`);
    return String(value);
  }
  if (isList(value)) return `[ ${value.map((item) => `${printNixValue(item)} `).join('')}]`;
  const names = Object.keys(value).sort(compareUtf8);
  return `{ ${names.map((name) => `${name} = ${printNixValue(value[name] as NixEnvMetaValue)}; `).join('')}}`;
}

export function printNixString(text: string): string {
  return `"${text.replace(/["\\\n\r\t]|\$\{/g, (match) => NIX_ESCAPES[match] as string)}"`;
}

const NIX_ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '${': '\\${' };

function isList(value: NixEnvMetaValue): value is readonly NixEnvMetaValue[] {
  return Array.isArray(value);
}
