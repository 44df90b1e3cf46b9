/**
 * Reading a nix-env user environment's `manifest.nix` (spec 8.1, 8.2) into
 * profile elements: one per list entry, in order, named by the DrvName name
 * of its `name` (made unique as manifest.json names are), with the store
 * paths of all its outputs (nix-env links every output into the profile),
 * `meta.priority` (an integer or a string of one, default 5) and
 * `meta.active` (a boolean or "true"/"false", default true), read the way
 * nix-env's `queryMetaInt`/`queryMetaBool` read them. Anything else the
 * printer can write is accepted and ignored; anything unexpected in the
 * fields used is a GENLEDGER_BAD_MANIFEST naming the element.
 *
 * Each element also carries its nix-env fields exactly as written (full
 * name, system only when the entry has one, outPath, outputs in the order
 * written, meta with strings kept strings), so that the env-manifest can be
 * printed again byte for byte. An element holding anything genledger cannot
 * print back the same (a drvPath from keep-env-derivations, a float or path
 * in meta, an attribute the printer never writes) gets no nix-env fields:
 * nix-env-observed.ts then sees that the generation does not rebuild.
 */
import { refused } from '../errors.js';
import type { GenledgerError } from '../errors.js';
import type { NixEnvFields, NixEnvMetaValue } from '../domain/nix-env-fields.js';
import type { ProfileElement } from '../domain/profile-manifest.js';
import { parseDrvName } from './drv-name.js';
import { uniqueElementName } from './element-name.js';
import { DEFAULT_PRIORITY } from './manifest-json.js';
import { parseNixValue } from './nix-value-parse.js';
import type { NixValue } from './nix-value-parse.js';
import { stringSet } from './string-set.js';

type Attrs = ReadonlyMap<string, NixValue>;

const STORE_PATH = /^\/(?:[^/]+\/)*[0-9a-df-np-sv-z]{32}-[A-Za-z0-9+\-._?=]{1,211}$/;
const INTEGER = /^-?[0-9]+$/;

export function parseEnvManifest(text: string, fileName: string): ProfileElement[] {
  const root = parseNixValue(text, fileName);
  if (root.kind !== 'list') throw bad(fileName, 'is not a list');
  const taken = new Set<string>();
  return root.items.map((item, index) => {
    const fail = (problem: string) => bad(fileName, `has an invalid element ${index}: ${problem}`);
    if (item.kind !== 'attrs') throw fail('it is not an attribute set');
    const element = readElement(item.attrs, fail);
    const name = uniqueElementName(parseDrvName(element.fullName).name, taken);
    taken.add(name);
    const nixEnv = nixEnvFields(item.attrs);
    return { name, active: element.active, priority: element.priority, storePaths: element.storePaths, ...(nixEnv === null ? {} : { nixEnv }) };
  });
}

/** The attributes `createUserEnv` writes besides one per output. */
const PRINTED = new Set(['meta', 'name', 'outPath', 'outputs', 'system', 'type']);
/** What the event schema keeps of meta (profile-event-schema.ts): names nix-env prints raw, bounded strings and depth. */
const META_NAME = /^[A-Za-z_][A-Za-z0-9_'-]*$/;
const MAX_META_TEXT = 64 * 1024;
const MAX_META_DEPTH = 32;

/** The element's nix-env fields, or null when printing them again could not give the same bytes. Called after readElement accepted it. */
function nixEnvFields(attrs: Attrs): NixEnvFields | null {
  const name = attrs.get('name');
  const outPath = attrs.get('outPath');
  const outputs = attrs.get('outputs');
  const system = attrs.get('system');
  const meta = metaOf(attrs.get('meta') ?? { kind: 'null' }, 0);
  if (attrs.get('type') === undefined || name?.kind !== 'string' || outPath?.kind !== 'string' || outputs?.kind !== 'list') return null;
  if ((system !== undefined && system.kind !== 'string') || meta === undefined || meta === null || typeof meta !== 'object' || Array.isArray(meta)) return null;
  const names = outputs.items.map((output) => (output.kind === 'string' ? output.value : ''));
  if ([...attrs.keys()].some((key) => !PRINTED.has(key) && !names.includes(key)) || new Set(names).size !== names.length) return null;
  const listed = names.map((output) => {
    const set = attrs.get(output);
    const path = set?.kind === 'attrs' && set.attrs.size === 1 ? set.attrs.get('outPath') : undefined;
    return path?.kind === 'string' ? { name: output, path: path.value } : null;
  });
  if (listed.some((output) => output === null)) return null;
  return {
    name: name.value,
    ...(system?.kind === 'string' ? { system: system.value } : {}),
    outPath: outPath.value,
    outputs: listed as { name: string; path: string }[],
    meta: meta as { [name: string]: NixEnvMetaValue },
  };
}

/** A meta value as an event keeps it, or undefined when it cannot be kept exactly. */
function metaOf(value: NixValue, depth: number): NixEnvMetaValue | undefined {
  if (depth > MAX_META_DEPTH) return undefined;
  switch (value.kind) {
    case 'string':
      return value.value.length <= MAX_META_TEXT ? value.value : undefined;
    case 'int':
      return value.value;
    case 'bool':
      return value.value;
    case 'null':
      return null;
    case 'list': {
      const items = value.items.map((item) => metaOf(item, depth + 1));
      return items.includes(undefined) ? undefined : (items as NixEnvMetaValue[]);
    }
    case 'attrs': {
      const entries = [...value.attrs].map(([name, item]) => [name, META_NAME.test(name) ? metaOf(item, depth + 1) : undefined] as const);
      return entries.some(([, item]) => item === undefined) ? undefined : (Object.fromEntries(entries) as { [name: string]: NixEnvMetaValue });
    }
    default:
      return undefined;
  }
}

function readElement(attrs: Attrs, fail: (problem: string) => GenledgerError) {
  const type = attrs.get('type');
  if (type !== undefined && !(type.kind === 'string' && type.value === 'derivation')) throw fail("its type is not \"derivation\"");
  const fullName = text(attrs, 'name', fail);
  const storePaths = outputPaths(attrs, fail);
  const meta = attrs.get('meta');
  if (meta !== undefined && meta.kind !== 'attrs') throw fail('its meta is not an attribute set');
  const metaAttrs: Attrs = meta?.attrs ?? new Map();
  return { fullName, storePaths, priority: metaPriority(metaAttrs.get('priority'), fail), active: metaActive(metaAttrs.get('active'), fail) };
}

/** `outPath`, and the `outPath` of each output named in `outputs` when there is that list. */
function outputPaths(attrs: Attrs, fail: (problem: string) => GenledgerError): string[] {
  const paths = [storePath(text(attrs, 'outPath', fail), 'outPath', fail)];
  const outputs = attrs.get('outputs');
  if (outputs === undefined) return paths;
  if (outputs.kind !== 'list') throw fail('its outputs is not a list');
  for (const output of outputs.items) {
    if (output.kind !== 'string') throw fail('its outputs has an entry that is not a string');
    const set = attrs.get(output.value);
    if (set?.kind !== 'attrs') throw fail(`its output '${output.value}' is not an attribute set`);
    paths.push(storePath(text(set.attrs, 'outPath', fail), `${output.value}.outPath`, fail));
  }
  return stringSet(paths);
}

function metaPriority(value: NixValue | undefined, fail: (problem: string) => GenledgerError): number {
  if (value === undefined) return DEFAULT_PRIORITY;
  if (value.kind === 'int') return value.value;
  if (value.kind === 'string' && INTEGER.test(value.value) && Number.isSafeInteger(Number(value.value))) return Number(value.value);
  throw fail('its meta.priority is not an integer');
}

function metaActive(value: NixValue | undefined, fail: (problem: string) => GenledgerError): boolean {
  if (value === undefined) return true;
  if (value.kind === 'bool') return value.value;
  if (value.kind === 'string' && (value.value === 'true' || value.value === 'false')) return value.value === 'true';
  throw fail('its meta.active is not true or false');
}

function text(attrs: Attrs, key: string, fail: (problem: string) => GenledgerError): string {
  const value = attrs.get(key);
  if (value?.kind !== 'string') throw fail(`its ${key} is not a string`);
  return value.value;
}

function storePath(path: string, what: string, fail: (problem: string) => GenledgerError): string {
  if (!STORE_PATH.test(path)) throw fail(`its ${what} is not a store path: ${JSON.stringify(path.slice(0, 80))}`);
  return path;
}

function bad(fileName: string, problem: string): GenledgerError {
  return refused('GENLEDGER_BAD_MANIFEST', `manifest '${fileName}' ${problem}`, 'a manifest.nix must be exactly as nix-env writes it');
}
