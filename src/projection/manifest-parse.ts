/**
 * Reading a `manifest.json` of any version Nix wrote: 1 (2.4–2.7:
 * `originalUri`/`uri`), 2 (2.8; 2.9–2.19 add `priority` and `outputs`) and 3
 * (2.20+: elements keyed by name). Every defect is a GENLEDGER_BAD_MANIFEST
 * whose one-line message names the file and the field; nothing else escapes,
 * not even JSON.parse's SyntaxError. What is read is normalised: store paths
 * sorted and distinct, priority 5 when absent, version 1 and 2 elements named
 * as Nix names them when it upgrades such a manifest, version 3 elements in
 * name order (Nix keeps them in a `std::map`).
 */

import { refused } from '../errors.js';
import type { GenledgerError } from '../errors.js';
import { compareUtf8 } from '../store/nar-tree.js';
import { elementName, uniqueElementName } from './element-name.js';
import { DEFAULT_PRIORITY } from './manifest-json.js';
import type { Manifest, ManifestElement, ManifestSource, ManifestVersion } from './manifest-json.js';
import { hasLoneSurrogate } from './nlohmann-json.js';
import { stringSet } from './string-set.js';

type JsonObject = { readonly [key: string]: unknown };
type Fail = (problem: string) => GenledgerError;
type UnnamedElement = Omit<ManifestElement, 'name'>;

const STORE_PATH = /^\/(?:[^/]+\/)*[0-9a-df-np-sv-z]{32}-[A-Za-z0-9+\-._?=]{1,211}$/;
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
/** Would act as a prototype setter wherever names key a plain object. */
const RESERVED_NAME = '__proto__';

export function parseManifest(text: string, fileName: string): Manifest {
  const fail: Fail = (problem) =>
    refused(
      'GENLEDGER_BAD_MANIFEST',
      `profile manifest '${fileName}' ${problem}`,
      'only manifest.json versions 1 to 3, as Nix 2.4 and later write them, can be read',
    );
  const failElement: Fail = (problem) => fail(`has an invalid element: ${problem}`);
  const root = parseJson(text, fail);
  if (!isObject(root)) throw fail('is not a JSON object');
  const version = readVersion(field(root, 'version'), fail);
  const elements = field(root, 'elements');
  if (Array.isArray(elements)) return { version, elements: nameInOrder(elements, version, failElement) };
  if (isObject(elements)) return { version, elements: namedByKey(elements, version, failElement) };
  throw fail("has no 'elements' array or object");
}

function parseJson(text: string, fail: Fail): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/\s+/g, ' ') : String(error);
    throw fail(`is not valid JSON: ${reason}`);
  }
}

function readVersion(version: unknown, fail: Fail): ManifestVersion {
  if (version === undefined) throw fail('has no version');
  if (version === 1 || version === 2 || version === 3) return version;
  throw fail(`has unsupported version ${show(version)}`);
}

/** Versions 1 and 2: names derived from each element, made unique in file order. */
function nameInOrder(values: readonly unknown[], version: ManifestVersion, fail: Fail): ManifestElement[] {
  const taken = new Set<string>();
  return values.map((value, index) => {
    const element = readElement(value, `elements[${index}]`, version, fail);
    const name = uniqueElementName(elementName(element), taken);
    taken.add(name);
    return { name, ...element };
  });
}

function namedByKey(values: JsonObject, version: ManifestVersion, fail: Fail): ManifestElement[] {
  return Object.keys(values)
    .sort(compareUtf8)
    .map((name) => {
      const at = `elements[${JSON.stringify(name)}]`;
      if (name === RESERVED_NAME || hasLoneSurrogate(name)) throw fail(`${at} has a name genledger cannot use`);
      return { name, ...readElement(values[name], at, version, fail) };
    });
}

function readElement(value: unknown, at: string, version: ManifestVersion, fail: Fail): UnnamedElement {
  if (!isObject(value)) throw fail(`${at} is not an object`);
  const storePaths = field(value, 'storePaths');
  if (!Array.isArray(storePaths)) throw fail(`${at}.storePaths is not an array`);
  const badPath = storePaths.findIndex((path: unknown) => typeof path !== 'string' || !STORE_PATH.test(path));
  if (badPath >= 0) throw fail(`${at}.storePaths[${badPath}] is not a store path: ${show(storePaths[badPath])}`);
  const active = field(value, 'active');
  if (typeof active !== 'boolean') throw fail(`${at}.active is not true or false`);
  const priority = field(value, 'priority') ?? DEFAULT_PRIORITY;
  if (!isInt32(priority)) throw fail(`${at}.priority is not a 32-bit integer: ${show(priority)}`);
  const source = readSource(value, at, version, fail);
  return {
    active,
    priority,
    storePaths: stringSet(storePaths as readonly string[]),
    ...(source === undefined ? {} : { source }),
  };
}

/** As in Nix, an element has a source only when its (locked) URL is a non-empty string. */
function readSource(element: JsonObject, at: string, version: ManifestVersion, fail: Fail): ManifestSource | undefined {
  const [urlKey, originalKey] = version === 1 ? ['uri', 'originalUri'] : ['url', 'originalUrl'];
  if (field(element, urlKey) === undefined || field(element, urlKey) === '') return undefined;
  const text = (key: string): string => {
    const value = field(element, key);
    if (typeof value !== 'string') throw fail(`${at}.${key} is not a string`);
    if (hasLoneSurrogate(value)) throw fail(`${at}.${key} is not valid Unicode`);
    return value;
  };
  const url = text(urlKey);
  const originalUrl = text(originalKey);
  const attrPath = text('attrPath');
  const outputs = field(element, 'outputs') ?? null;
  if (outputs === null) return { originalUrl, url, attrPath };
  if (!isOutputNames(outputs)) throw fail(`${at}.outputs is neither null nor a list of output names`);
  return { originalUrl, url, attrPath, outputs: stringSet(outputs) };
}

function isOutputNames(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((name) => typeof name === 'string' && name !== '' && !hasLoneSurrogate(name))
  );
}

/** Nix reads priorities into a C++ `int`. */
function isInt32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= INT32.min && value <= INT32.max;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own members only: a manifest saying `"__proto__"` or `"constructor"` must not reach inherited ones. */
function field(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function show(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
