/**
 * The shape of each profile event's data (profile-events.ts), as plain
 * validators: what an event read from outside (a bundle, a Nix profile on
 * disk) must look like before the domain folds it. Every field is checked
 * for its type, numbers for being safe integers in range, store paths with
 * the caller's predicate (the store directory is not the domain's to know),
 * and unknown fields are refused, so nothing reaches evolve or projection
 * that their types do not describe.
 *
 * `profileEventDataProblem` answers with the first problem as a phrase
 * ("generation is not an integer >= 1"), or null.
 */
import type { ProfileEventType } from './profile-events.js';

export type IsStorePath = (path: string) => boolean;

export type Check = (value: unknown, isStorePath: IsStorePath) => string | null;

const MAX_TEXT = 64 * 1024;
const MAX_ITEMS = 100_000;

export const text: Check = (value) => (typeof value === 'string' && value.length <= MAX_TEXT ? null : 'is not a string');
export const bool: Check = (value) => (typeof value === 'boolean' ? null : 'is not true or false');
export const integer: Check = (value) => (Number.isSafeInteger(value) ? null : 'is not an integer');
export const count = (min: number): Check => (value) => (Number.isSafeInteger(value) && (value as number) >= min ? null : `is not an integer >= ${min}`);
export const oneOf = (...allowed: readonly unknown[]): Check => (value) => (allowed.includes(value) ? null : `is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
export const nullable = (check: Check): Check => (value, isStorePath) => (value === null ? null : check(value, isStorePath));
export const storePath: Check = (value, isStorePath) => (typeof value === 'string' && isStorePath(value) ? null : 'is not a store path of this store');
const isoTime: Check = (value) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/.test(value) && Number.isFinite(Date.parse(value)) ? null : 'is not an ISO-8601 UTC time');

export function list(item: Check): Check {
  return (value, isStorePath) => {
    if (!Array.isArray(value) || value.length > MAX_ITEMS) return `is not a list of at most ${MAX_ITEMS} items`;
    for (const [index, element] of value.entries()) {
      const problem = item(element, isStorePath);
      if (problem !== null) return `[${index}] ${problem}`;
    }
    return null;
  };
}

/** An object with exactly these fields; a field whose key ends with `?` may be absent. */
export function object(fields: Readonly<Record<string, Check>>): Check {
  const entries = Object.entries(fields).map(([key, check]) => ({ name: key.replace(/\?$/, ''), optional: key.endsWith('?'), check }));
  const names = new Set(entries.map((entry) => entry.name));
  return (value, isStorePath) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not an object';
    const record = value as Record<string, unknown>;
    const unknown = Object.keys(record).find((key) => !names.has(key));
    if (unknown !== undefined) return `has an unknown field '${unknown}'`;
    for (const { name, optional, check } of entries) {
      if (record[name] === undefined) {
        if (optional) continue;
        return `has no ${name}`;
      }
      const problem = check(record[name], isStorePath);
      if (problem !== null) return `${name} ${problem}`;
    }
    return null;
  };
}

const patchOperation = object({
  op: oneOf('add', 'remove', 'replace', 'move', 'copy', 'test'),
  path: text,
  'value?': () => null,
  'from?': text,
});

const generationFacts = {
  generation: count(1),
  created: bool,
  base: count(0),
  patch: list(patchOperation),
  profilePath: storePath,
  manifestVersion: oneOf(2, 3, 'nix-env'),
};

const source = object({ originalUrl: text, url: text, attrPath: text });
const MAX_META_DEPTH = 32;
/** A meta value nix-env can print and genledger keep (nix-env-fields.ts): JSON with integers, bounded in depth. */
const metaValue = (depth: number): Check => (value, isStorePath) => {
  if (depth > MAX_META_DEPTH) return 'is nested too deeply';
  if (value === null || typeof value === 'boolean') return null;
  if (typeof value === 'string') return text(value, isStorePath);
  if (typeof value === 'number') return integer(value, isStorePath);
  if (Array.isArray(value)) return list(metaValue(depth + 1))(value, isStorePath);
  if (typeof value !== 'object') return 'is not a Nix value';
  return metaAttrs(depth + 1)(value, isStorePath);
};
const metaAttrs = (depth: number): Check => (value, isStorePath) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not an attribute set';
  for (const [name, item] of Object.entries(value)) {
    if (!/^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name)) return `has an attribute name nix-env cannot print: ${JSON.stringify(name.slice(0, 40))}`;
    const problem = metaValue(depth)(item, isStorePath);
    if (problem !== null) return `.${name} ${problem}`;
  }
  return null;
};
const nixEnv = object({
  name: text,
  'system?': text,
  outPath: storePath,
  outputs: list(object({ name: text, path: storePath })),
  meta: metaAttrs(0),
});
const element = object({ name: text, active: bool, priority: integer, storePaths: list(storePath), 'source?': source, 'nixEnv?': nixEnv });
const installed = object({ name: text, storePaths: list(storePath), priority: integer, 'source?': source, installable: text });
const upgradeSide = object({ storePaths: list(storePath), 'url?': text });
const change = object({ name: text, change: oneOf('installed', 'removed', 'upgraded', 'priority'), storePaths: list(storePath) });
const observedFields = {
  ...generationFacts,
  createdAt: isoTime,
  format: oneOf('manifest.json v1', 'manifest.json v2', 'manifest.json v3', 'manifest.nix'),
  linkOwner: count(0),
  changes: list(change),
};
const actor = object({ user: text, uid: count(0), 'sudoUser?': text, host: text });
const range: Check = (value) => (Array.isArray(value) && value.length === 2 && value.every((n) => Number.isSafeInteger(n) && n >= 1) && value[0] <= value[1] ? null : 'is not a range [from, to] of generations');

const schemas: Readonly<Record<ProfileEventType, Check>> = {
  ProfileCreated: object({ profile: text }),
  EventQuarantined: object({ type: text, hash: text, rule: text }),
  PackagesInstalled: object({ ...generationFacts, installed: list(installed) }),
  PackagesRemoved: object({ ...generationFacts, removed: list(element) }),
  PackagesUpgraded: object({ ...generationFacts, upgraded: list(object({ name: text, from: upgradeSide, to: upgradeSide })) }),
  PriorityChanged: object({ ...generationFacts, name: text, from: integer, to: integer }),
  GenerationRestored: object({ ...generationFacts, restored: count(0) }),
  GenerationSwitched: object({
    from: nullable(count(0)),
    to: count(0),
    how: oneOf('rollback', 'switch', 'undo'),
    'emptyGeneration?': object({ profilePath: storePath, manifestVersion: oneOf(2, 3, 'nix-env') }),
  }),
  GenerationsDeleted: object({ generations: list(count(0)), spec: list(text) }),
  HistoryWiped: object({ generations: list(count(0)), 'olderThan?': text }),
  GenerationImported: object({ ...observedFields, source: text }),
  ProfileImported: object({
    source: text,
    generations: list(count(1)),
    gaps: list(range),
    current: nullable(count(1)),
    importedBy: actor,
    importedAt: isoTime,
  }),
  ExternalChangeObserved: object({
    generations: list(object(observedFields)),
    deleted: list(count(0)),
    'current?': object({ from: nullable(count(0)), to: nullable(count(0)), since: nullable(isoTime) }),
  }),
};

/** Why `data` is not the data of a `type` event, or null. */
export function profileEventDataProblem(type: ProfileEventType, data: unknown, isStorePath: IsStorePath): string | null {
  if (!Object.hasOwn(schemas, type)) return `a ${String(type)} is not a profile event`;
  return schemas[type](data, isStorePath);
}

/** Why a folded manifest is not one projection can render (a patch can produce anything), or null. */
export function manifestProblem(manifest: unknown, isStorePath: IsStorePath): string | null {
  return object({ elements: list(element) })(manifest, isStorePath);
}
