/**
 * Reading a catalog from disk: the impure half of resolution. The file is
 * read once, and the bytes that were parsed are the bytes that were hashed,
 * so the locked URL recorded in the event describes exactly what was
 * installed. A package directory is checked against the real file system:
 * after following every symbolic link it must still lie inside the catalog's
 * own directory, so neither `..` nor a link planted beside the catalog can
 * make an install copy `/etc` into the store. (Links *inside* a package
 * directory are stored as links, as Nix does, and so expose nothing.)
 */
import { realpathSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { refused } from '../errors.js';
import { readBoundedFile } from '../fsx/read-bounded-file.js';
import type { GenledgerError } from '../errors.js';
import { Hash } from '../store/hash.js';
import { maxCatalogBytes, parseCatalog } from './catalog.js';
import type { Catalog, DirectoryEntry } from './catalog.js';
import { badCatalog, quoteName } from './catalog-error.js';

export interface LoadedCatalog {
  readonly catalog: Catalog;
  /** SHA-256 of the file's bytes: what the locked URL records. */
  readonly contentHash: Hash;
  readonly text: string;
}

/** Reads and parses the catalog file `catalogFile` (absolute), refusing anything but a regular file. */
export function readCatalog(catalogFile: string): LoadedCatalog {
  const bytes = readCatalogBytes(catalogFile);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badCatalog(catalogFile, 'is not valid UTF-8');
  }
  return { catalog: parseCatalog(text, catalogFile), contentHash: Hash.of('sha256', bytes), text };
}

/**
 * The real, absolute directory to add to the store for `entry`, verified to
 * be a directory inside the catalog's directory. A catalog reached through a
 * symbolic link keeps its packages beside the real file, as a script run
 * through a link still finds its own files.
 */
export function resolvePackageDirectory(catalogFile: string, entry: DirectoryEntry): string {
  const fail = (message: string, hint?: string): GenledgerError =>
    badCatalog(catalogFile, `package ${quoteName(entry.attr)} has the path ${quoteName(entry.path)}, ${message}`, hint);
  const catalogDir = dirname(realPath(catalogFile, (error) => openError(catalogFile, error)));
  const directory = realPath(join(catalogDir, entry.path), (error) =>
    isMissing(error) ? fail('which does not exist') : isDenied(error) ? fail('which cannot be accessed: permission denied') : error,
  );
  const inside = relative(catalogDir, directory);
  if (inside === '' || inside === '..' || inside.startsWith('../')) {
    throw fail(`which leads to '${directory}', not below the catalog's directory`, 'a package directory must be a real directory beside the catalog, not a link out of it');
  }
  if (!statSync(directory).isDirectory()) throw fail('which is not a directory');
  return directory;
}

function readCatalogBytes(catalogFile: string): Buffer {
  const refuse = (problem: string): GenledgerError =>
    problem === 'is a directory'
      ? refused('GENLEDGER_NO_SUCH_CATALOG', `catalog '${catalogFile}' is a directory`, 'name the catalog file itself, e.g. DIR/catalog.json#hello')
      : badCatalog(catalogFile, problem.startsWith('has ') ? `is larger than ${maxCatalogBytes / 1024 / 1024} MiB` : problem);
  let bytes: Buffer | null;
  try {
    // A catalog may be reached through links; what they lead to must be a regular file, read non-blocking and bounded.
    bytes = readBoundedFile(catalogFile, { max: maxCatalogBytes, followLinks: true, refuse });
  } catch (error) {
    throw openError(catalogFile, error);
  }
  if (bytes === null) throw refused('GENLEDGER_NO_SUCH_CATALOG', `catalog '${catalogFile}' does not exist`);
  return bytes;
}

function realPath(path: string, mapError: (error: unknown) => unknown): string {
  try {
    return realpathSync(path);
  } catch (error) {
    throw mapError(error);
  }
}

function openError(catalogFile: string, error: unknown): unknown {
  if (isMissing(error)) return refused('GENLEDGER_NO_SUCH_CATALOG', `catalog '${catalogFile}' does not exist`);
  if (isDenied(error)) return refused('GENLEDGER_CATALOG_UNREADABLE', `cannot read catalog '${catalogFile}': permission denied`);
  return error;
}

/** A path that cannot name anything: absent, below a non-directory, or a loop of symbolic links. */
function isMissing(error: unknown): boolean {
  const code = errnoOf(error);
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP';
}

function isDenied(error: unknown): boolean {
  const code = errnoOf(error);
  return code === 'EACCES' || code === 'EPERM';
}

function errnoOf(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
