/**
 * One package of a catalog: a version and where its files come from, either
 * a directory beside the catalog (added to the store under the name
 * `<attr>-<version>`) or store paths that already exist.
 *
 * A catalog is input from whoever can write the file, so every field is
 * checked for type, shape and size, and unknown fields are refused: a typo
 * such as `storepaths` must not quietly yield a package with no files. A
 * directory must be written relative and normalised, with no `..`, so that
 * it can only name something below the catalog's own directory (symbolic
 * links are checked against the real file system when it is read, see
 * `read-catalog.ts`). Store paths are only checked for shape here; whether
 * they are in the store in use is the installer's concern.
 */
import { posix } from 'node:path';
import type { GenledgerError } from '../errors.js';
import { badCatalog, quoteName } from './catalog-error.js';

interface EntryBase {
  readonly attr: string;
  readonly version: string;
  /** Nix's element priority (lower wins a collision); absent means the profile's default. */
  readonly priority?: number;
  readonly description?: string;
}

export interface DirectoryEntry extends EntryBase {
  readonly kind: 'directory';
  /** Relative to the catalog's directory, normalised, without `..`. */
  readonly path: string;
  /** `<attr>-<version>`, checked to be a valid store path name. */
  readonly storeName: string;
}

export interface StorePathsEntry extends EntryBase {
  readonly kind: 'store-paths';
  /** Absolute, normalised, distinct, in the catalog's order. */
  readonly storePaths: readonly string[];
}

export type CatalogEntry = DirectoryEntry | StorePathsEntry;

const knownFields = new Set(['version', 'path', 'storePaths', 'priority', 'description']);
const maxVersionLength = 100;
const maxDescriptionLength = 4096;
const maxPathLength = 4096;
const maxStorePaths = 1000;
// Nix's limits on a store path name (spec 2.1), so a directory entry never fails later in `store add`.
const storeNamePattern = /^[0-9A-Za-z+\-._?=]+$/;
const maxStoreNameLength = 211;
// Nix priorities are C ints.
const minPriority = -(2 ** 31);
const maxPriority = 2 ** 31 - 1;

/** Validates one value of the `packages` object; `attr` has already been checked. */
export function parseEntry(origin: string, attr: string, value: unknown): CatalogEntry {
  const fail: Fail = (message, hint) => badCatalog(origin, `package ${quoteName(attr)} ${message}`, hint);
  if (!isPlainObject(value)) throw fail('is not an object');
  for (const field of Object.keys(value)) {
    if (!knownFields.has(field)) {
      throw fail(`has the unknown field ${quoteName(field)}`, 'a package has version, path or storePaths, priority, description');
    }
  }
  const { version, path, storePaths, priority, description } = value;
  if (typeof version !== 'string' || version.length === 0 || version.length > maxVersionLength) {
    throw fail(`needs a version: a non-empty string of at most ${maxVersionLength} characters`);
  }
  const base: EntryBase = {
    attr,
    version,
    ...(priority === undefined ? {} : { priority: checkPriority(priority, fail) }),
    ...(description === undefined ? {} : { description: checkDescription(description, fail) }),
  };
  if ((path === undefined) === (storePaths === undefined)) {
    throw fail('needs exactly one of path (a directory beside the catalog) and storePaths');
  }
  if (path !== undefined) {
    const directory = checkDirectory(path, fail);
    const storeName = `${attr}-${version}`;
    if (!storeNamePattern.test(storeName) || storeName.length > maxStoreNameLength) {
      throw fail(
        `would be stored as ${quoteName(storeName)}, which is not a valid store path name`,
        `store names have at most ${maxStoreNameLength} of the characters A-Z a-z 0-9 + - . _ ? =`,
      );
    }
    return { ...base, kind: 'directory', path: directory, storeName };
  }
  return { ...base, kind: 'store-paths', storePaths: checkStorePaths(storePaths, fail) };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Fail = (message: string, hint?: string) => GenledgerError;

function checkPriority(priority: unknown, fail: Fail): number {
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < minPriority || priority > maxPriority) {
    throw fail('has a priority that is not a 32-bit integer');
  }
  return priority;
}

function checkDescription(description: unknown, fail: Fail): string {
  if (typeof description !== 'string' || description.length > maxDescriptionLength) {
    throw fail(`has a description that is not a string of at most ${maxDescriptionLength} characters`);
  }
  return description;
}

function checkDirectory(path: unknown, fail: Fail): string {
  if (typeof path !== 'string' || path.length === 0 || path.length > maxPathLength || path.includes('\0')) {
    throw fail(`has a path that is not a non-empty string of at most ${maxPathLength} characters`);
  }
  if (path.startsWith('/')) {
    throw fail(`has the absolute path ${quoteName(path)}`, "a package directory is relative to the catalog's directory");
  }
  if (path.split('/').includes('..')) {
    throw fail(`has the path ${quoteName(path)}, which may leave the catalog's directory`, "'..' is not allowed in a package path");
  }
  const normal = posix.normalize(path).replace(/\/$/, '');
  if (normal === '.') {
    throw fail(`has the path ${quoteName(path)}, which names the catalog's own directory`, 'give the package its own subdirectory');
  }
  if (normal !== path) {
    throw fail(`has the path ${quoteName(path)}, which is not normalised`, `write it as ${quoteName(normal)}`);
  }
  return path;
}

function checkStorePaths(storePaths: unknown, fail: Fail): readonly string[] {
  if (!Array.isArray(storePaths) || storePaths.length === 0 || storePaths.length > maxStorePaths) {
    throw fail(`has storePaths that is not a list of 1 to ${maxStorePaths} store paths`);
  }
  const seen = new Set<string>();
  for (const path of storePaths) {
    if (typeof path !== 'string' || path.length > maxPathLength || path.includes('\0')) {
      throw fail(`has a store path that is not a string of at most ${maxPathLength} characters`);
    }
    if (!path.startsWith('/') || path.endsWith('/') || path.split('/').includes('..') || posix.normalize(path) !== path || posix.dirname(path) === '/') {
      throw fail(`has the store path ${quoteName(path)}, which is not an absolute, normalised path below a store directory`);
    }
    if (seen.has(path)) throw fail(`lists the store path ${quoteName(path)} twice`);
    seen.add(path);
  }
  return [...seen];
}
