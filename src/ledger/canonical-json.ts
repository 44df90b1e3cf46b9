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
  return encode(value, []);
}

/**
 * Why `value` has no canonical JSON (the message canonicalJson would throw),
 * or null. Checking builds no text, so it costs a fraction of encoding:
 * readers and writers check a value's shape without encoding it twice.
 */
export function canonicalJsonProblem(value: unknown): string | null {
  if (isEncodable(value)) return null;
  try {
    canonicalJson(value);
  } catch (error) {
    return (error as TypeError).message;
  }
  return null;
}

/**
 * The canonical JSON of an object whose fields are given already encoded
 * (each the canonical JSON of the field's value; undefined omits the
 * field): the same bytes canonicalJson gives for the object itself, so an
 * envelope can be encoded once and assembled both with and without its seal.
 */
export function canonicalObject(encodedFields: Readonly<Record<string, string | undefined>>): string {
  let text = '{';
  for (const key of Object.keys(encodedFields).sort()) {
    const field = encodedFields[key];
    if (field === undefined) continue;
    text += `${text === '{' ? '' : ','}${JSON.stringify(key)}:${field}`;
  }
  return `${text}}`;
}

// `trail` holds the keys leading to `value`; it becomes a path only when an error names it.
function encode(value: unknown, trail: (string | number)[]): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw refusal(`the number ${value}`, trail);
      return JSON.stringify(value);
    case 'object':
      return Array.isArray(value) ? encodeArray(value, trail) : encodeObject(value, trail);
    default:
      throw refusal(`a ${typeof value}`, trail);
  }
}

function encodeArray(items: readonly unknown[], trail: (string | number)[]): string {
  let text = '[';
  for (let index = 0; index < items.length; index++) {
    const item: unknown = items[index];
    trail.push(index);
    if (item === undefined) throw refusal('undefined', trail);
    text += (index === 0 ? '' : ',') + encode(item, trail);
    trail.pop();
  }
  return `${text}]`;
}

function encodeObject(object: object, trail: (string | number)[]): string {
  if (!isPlainObject(object)) throw refusal(`a ${object.constructor?.name ?? 'non-plain object'} (only plain objects)`, trail);
  const record = object as Record<string, unknown>;
  let text = '{';
  for (const key of Object.keys(record).sort()) {
    const field = record[key];
    if (field === undefined) continue;
    trail.push(key);
    text += `${text === '{' ? '' : ','}${JSON.stringify(key)}:${encode(field, trail)}`;
    trail.pop();
  }
  return `${text}}`;
}

// The rules of encode, without building text or a path.
function isEncodable(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) {
        // An index loop, not every(): every() skips the holes of a sparse array, which encode refuses.
        for (let index = 0; index < value.length; index++) if (value[index] === undefined || !isEncodable(value[index])) return false;
        return true;
      }
      if (!isPlainObject(value)) return false;
      for (const field of Object.values(value)) if (field !== undefined && !isEncodable(field)) return false;
      return true;
    default:
      return false;
  }
}

function isPlainObject(object: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(object);
  return prototype === Object.prototype || prototype === null;
}

function refusal(what: string, trail: readonly (string | number)[]): TypeError {
  const path = trail.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');
  return new TypeError(`canonical JSON cannot hold ${what} at $${path}`);
}
