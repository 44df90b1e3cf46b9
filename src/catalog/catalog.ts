/**
 * A catalog: a JSON file naming packages, the role a flake plays for Nix.
 * `genledger profile install CATALOG#attr` installs `attr` from it and
 * `profile upgrade` reads it again; the resolution is recorded in the event,
 * so replay never reads a catalog. Format, version 1:
 *
 *   { "version": 1,
 *     "packages": {
 *       "hello":  { "version": "1.0", "path": "pkgs/hello-1.0" },
 *       "cowsay": { "version": "3.7", "storePaths": ["/nix/store/…-cowsay-3.7"],
 *                   "priority": 4, "description": "…" } } }
 *
 * - `version` is the format version and must be 1.
 * - An attr name matches `[A-Za-z_][A-Za-z0-9_'+.-]*` (at most 200
 *   characters, never `__proto__`).
 * - A package has a `version` string and exactly one of `path` (a directory
 *   relative to the catalog's directory, normalised, without `..`; the
 *   installer adds it to the store as `<attr>-<version>`) or `storePaths`
 *   (absolute store paths, at least one). `priority` (integer) and
 *   `description` (string) are optional.
 * - Unknown fields are refused, at every level, so a misspelt field is an
 *   error rather than a package silently missing something.
 * - At most 10,000 packages and 16 MiB of text.
 * - As with any `JSON.parse`, a key written twice keeps its last value.
 *
 * Parsing is pure and total: any text either yields a `Catalog` or throws
 * `GENLEDGER_BAD_CATALOG` naming the origin and, where there is one, the
 * package at fault.
 */
import { refused } from '../errors.js';
import { badCatalog, quoteName } from './catalog-error.js';
import { isPlainObject, parseEntry } from './catalog-entry.js';
import type { CatalogEntry } from './catalog-entry.js';
import { closeNames } from './close-names.js';

export type { CatalogEntry, DirectoryEntry, StorePathsEntry } from './catalog-entry.js';

export interface Catalog {
  /** Where the text came from (the catalog file), for messages. */
  readonly origin: string;
  /** In the catalog's order. */
  readonly packages: ReadonlyMap<string, CatalogEntry>;
}

export const catalogFormatVersion = 1;
export const maxCatalogBytes = 16 * 1024 * 1024;
export const maxCatalogPackages = 10_000;

const attrPattern = /^[A-Za-z_][A-Za-z0-9_'+.-]*$/;
const maxAttrLength = 200;
const knownFields = new Set(['version', 'packages']);
const suggestionCount = 5;

export function isAttrName(text: string): boolean {
  return text.length <= maxAttrLength && attrPattern.test(text) && text !== '__proto__';
}

export function parseCatalog(text: string, origin: string): Catalog {
  // UTF-8 never takes fewer bytes than UTF-16 code units, so the cheap test rules out most oversized input.
  if (text.length > maxCatalogBytes || Buffer.byteLength(text) > maxCatalogBytes) {
    throw badCatalog(origin, `is larger than ${maxCatalogBytes / 1024 / 1024} MiB`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    // The engine's message may quote the input, line breaks included; keep the report on one line.
    const reason = (error instanceof Error ? error.message : String(error)).replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ');
    throw badCatalog(origin, `is not valid JSON (${reason})`);
  }
  if (!isPlainObject(document)) throw badCatalog(origin, 'is not a JSON object');
  for (const field of Object.keys(document)) {
    if (!knownFields.has(field)) {
      throw badCatalog(origin, `has the unknown field ${quoteName(field)}`, 'a catalog has only "version" and "packages"');
    }
  }
  if (document.version !== catalogFormatVersion) {
    throw badCatalog(
      origin,
      document.version === undefined ? 'has no version' : `has version ${quoteName(JSON.stringify(document.version))}`,
      `this genledger reads catalogs with "version": ${catalogFormatVersion}`,
    );
  }
  const packages = document.packages;
  if (!isPlainObject(packages)) throw badCatalog(origin, 'needs "packages": an object mapping names to packages');
  const attrs = Object.keys(packages);
  if (attrs.length > maxCatalogPackages) {
    throw badCatalog(origin, `has ${attrs.length} packages; at most ${maxCatalogPackages} are allowed`);
  }
  const entries = new Map<string, CatalogEntry>();
  for (const attr of attrs) {
    if (!isAttrName(attr)) {
      throw badCatalog(
        origin,
        `has the invalid package name ${quoteName(attr)}`,
        `a name is 1 to ${maxAttrLength} of A-Z a-z 0-9 _ ' + . -, starts with a letter or _, and is not __proto__`,
      );
    }
    entries.set(attr, parseEntry(origin, attr, packages[attr]));
  }
  return { origin, packages: entries };
}

/** The package `attr`, or `GENLEDGER_UNKNOWN_PACKAGE` with the closest names as a hint. */
export function lookup(catalog: Catalog, attr: string): CatalogEntry {
  const entry = catalog.packages.get(attr);
  if (entry !== undefined) return entry;
  throw refused(
    'GENLEDGER_UNKNOWN_PACKAGE',
    `catalog '${catalog.origin}' has no package ${quoteName(attr)}`,
    unknownPackageHint(catalog, attr),
  );
}

function unknownPackageHint(catalog: Catalog, attr: string): string {
  const names = [...catalog.packages.keys()];
  if (names.length === 0) return 'the catalog has no packages';
  const close = closeNames(attr, names, suggestionCount);
  if (close.length > 0) return `did you mean ${close.map(quoteName).join(', ')}?`;
  const some = names.sort().slice(0, suggestionCount).map(quoteName).join(', ');
  return `it has ${names.length} package${names.length === 1 ? '' : 's'}: ${some}${names.length > suggestionCount ? ', …' : ''}`;
}
