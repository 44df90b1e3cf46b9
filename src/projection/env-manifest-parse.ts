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
 */
import { refused } from '../errors.js';
import type { GenledgerError } from '../errors.js';
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
    return { name, active: element.active, priority: element.priority, storePaths: element.storePaths };
  });
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
