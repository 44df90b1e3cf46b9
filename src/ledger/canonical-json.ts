/**
 * Canonical JSON: the one byte form of a value that the ledger hashes and
 * stores. Object keys are sorted by UTF-16 code units at every depth, there
 * is no whitespace, and object fields whose value is `undefined` are omitted.
 *
 * Invariant: `canonicalJson(JSON.parse(canonicalJson(x))) === canonicalJson(x)`.
 * Values that would not survive that round trip (NaN, Infinity, bigint,
 * functions, symbols, `undefined` inside arrays, class instances such as Date)
 * are rejected rather than silently changed, because a hash over a value that
 * reads back differently could never be verified again.
 */

export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}

function encode(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold the number ${value} at ${path}`);
      return JSON.stringify(value);
    case 'object':
      return Array.isArray(value) ? encodeArray(value, path) : encodeObject(value, path);
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value} at ${path}`);
  }
}

function encodeArray(items: readonly unknown[], path: string): string {
  const parts: string[] = [];
  for (let index = 0; index < items.length; index++) {
    const item: unknown = items[index];
    if (item === undefined) throw new TypeError(`canonical JSON cannot hold undefined at ${path}[${index}]`);
    parts.push(encode(item, `${path}[${index}]`));
  }
  return `[${parts.join(',')}]`;
}

function encodeObject(object: object, path: string): string {
  const prototype: unknown = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError(`canonical JSON holds only plain objects, not a ${object.constructor?.name ?? 'non-plain object'} at ${path}`);
  }
  const record = object as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const field = record[key];
    if (field === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${encode(field, `${path}.${key}`)}`);
  }
  return `{${parts.join(',')}}`;
}
