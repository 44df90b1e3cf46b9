/**
 * RFC 6902 patches applied to frozen JSON values without touching them, by
 * path copying: the containers on the way to each operation's target (and
 * source, for `move`) are copied once, fast-json-patch applies the
 * operation to the copies, and what is new is frozen. Everything the patch
 * does not reach is shared with the base. This is what immer would do with
 * a draft, minus a proxy for every object on the way, which matters when a
 * replay applies a patch per event.
 */
import jsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { deepFreeze } from './deep-freeze.js';

// fast-json-patch is CommonJS: Node's ESM loader only offers its default export.
const { applyOperation, unescapePathComponent } = jsonPatch;

type Json = unknown;

export function applyPatchFrozen<T>(base: T, patch: readonly Operation[]): T {
  const copies = new Set<object>();
  let document: Json = base;
  for (const operation of patch) {
    document = copyPath(document, parentSegments(operation.path), copies);
    if ('from' in operation) document = copyPath(document, parentSegments(operation.from), copies);
    // The operation's value is copied too: fast-json-patch inserts it as it is, and the event must not share it.
    document = applyOperation(document, cloneJson(operation), false, true).newDocument;
  }
  return deepFreeze(document) as T;
}

/** The segments of a JSON pointer up to, not including, the last: the containers an operation changes. */
function parentSegments(pointer: string): string[] {
  return pointer.split('/').slice(1, -1).map(unescapePathComponent);
}

/** `document` with every container on `segments` replaced by a mutable copy (made once per patch). */
function copyPath(document: Json, segments: readonly string[], copies: Set<object>): Json {
  const root = own(document, copies);
  let parent = root;
  for (const segment of segments) {
    if (typeof parent !== 'object' || parent === null) break;
    const container = parent as Record<string, Json>;
    const child = own(container[segment], copies);
    container[segment] = child;
    parent = child;
  }
  return root;
}

function own(value: Json, copies: Set<object>): Json {
  if (typeof value !== 'object' || value === null || copies.has(value)) return value;
  const copy = Array.isArray(value) ? [...value] : { ...value };
  copies.add(copy);
  return copy;
}

function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) copy[key] = cloneJson(field);
  return copy as T;
}
