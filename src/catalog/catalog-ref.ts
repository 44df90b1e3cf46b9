/**
 * Catalog references: how an installable names a package in a catalog, and
 * the URLs recorded for the resolution. An installable `FILE#attr` (or
 * `path:FILE#attr`, the form `originalUrl` prints) names the package `attr`
 * of the catalog file FILE, relative to the working directory. The recorded
 * URLs mirror a Nix path flake, so `nix profile list` shows them naturally:
 *
 *   originalUrl  path:/srv/catalog.json
 *   lockedUrl    path:/srv/catalog.json?narHash=sha256-…
 *
 * Unlike a flake's, this `narHash` is the SHA-256 of the catalog file's bytes
 * (a catalog is one file, not a source tree). It is printed in SRI form and
 * percent-encoded as Nix 2.8 encodes query values, which escapes only `/`
 * among base-64 characters. Nix writes the path unencoded, so a catalog file
 * name must not contain `?`, `#` or `%`, which would make the URL ambiguous.
 */
import { posix } from 'node:path';
import { isGenledgerError, refused, usageError } from '../errors.js';
import type { GenledgerError } from '../errors.js';
import { Hash } from '../store/hash.js';
import { quoteName } from './catalog-error.js';
import { isAttrName } from './catalog.js';

export interface CatalogRef {
  /** Absolute and normalised; symbolic links are not resolved. */
  readonly catalogFile: string;
  readonly attr: string;
}

export interface CatalogUrl {
  readonly catalogFile: string;
  /** The locked content hash, or null for an original (unlocked) URL. */
  readonly narHash: Hash | null;
}

const scheme = 'path:';
const ambiguousInUrl = /[?#%]/;

/** The catalog reference in an installable, or null when it has no `#` and so is not one. */
export function parseCatalogRef(text: string, cwd: string): CatalogRef | null {
  if (!posix.isAbsolute(cwd)) throw new TypeError(`the working directory '${cwd}' must be absolute`);
  const hash = text.lastIndexOf('#');
  if (hash < 0) return null;
  const file = text.startsWith(scheme) ? text.slice(scheme.length, hash) : text.slice(0, hash);
  const attr = text.slice(hash + 1);
  if (file === '') throw badRef(text, 'names no catalog file', "write it as FILE#attr, e.g. './catalog.json#hello'");
  if (!isAttrName(attr)) {
    throw badRef(text, `names the invalid package ${quoteName(attr)}`, "after '#' comes a package name from the catalog, e.g. 'hello'");
  }
  if (ambiguousInUrl.test(file)) {
    throw badRef(text, "names a catalog file containing '?', '#' or '%'", 'rename the catalog file; these characters cannot be recorded in its URL');
  }
  return { catalogFile: posix.resolve(cwd, file), attr };
}

/** The unlocked reference recorded as an element's `originalUrl`. */
export function originalUrl(catalogFile: string): string {
  return scheme + catalogFile;
}

/** The locked reference recorded as an element's `url`. */
export function lockedUrl(catalogFile: string, contentHash: Hash): string {
  return `${scheme}${catalogFile}?narHash=${encodeQueryValue(contentHash.toSRI())}`;
}

/**
 * Reads back a recorded `originalUrl` or `url`. Null when the URL is not a
 * `path:` URL (an element adopted from Nix may come from any flake); other
 * query parameters, such as the `lastModified` Nix adds, are ignored.
 */
export function parseCatalogUrl(url: string): CatalogUrl | null {
  if (!url.startsWith(scheme)) return null;
  const question = url.indexOf('?');
  const catalogFile = url.slice(scheme.length, question < 0 ? url.length : question);
  if (!posix.isAbsolute(catalogFile) || catalogFile.endsWith('/') || posix.normalize(catalogFile) !== catalogFile || ambiguousInUrl.test(catalogFile)) {
    throw badUrl(url, 'does not name a catalog file by its absolute, normalised path');
  }
  const query = question < 0 ? [] : url.slice(question + 1).split('&');
  const narHash = query.find((parameter) => parameter.startsWith('narHash='));
  return { catalogFile, narHash: narHash === undefined ? null : parseNarHash(url, narHash.slice('narHash='.length)) };
}

/** Nix 2.8's `percentEncode` for an ASCII value: keeps letters, digits and `-._~!$&'()*+,;=:@`, writes others as `%xx`. */
function encodeQueryValue(value: string): string {
  return value.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@]/g, (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function parseNarHash(url: string, encoded: string): Hash {
  try {
    return Hash.parse(decodeURIComponent(encoded), 'sha256');
  } catch (error) {
    if (error instanceof URIError || isGenledgerError(error)) throw badUrl(url, 'has a malformed narHash');
    throw error;
  }
}

function badRef(text: string, message: string, hint: string): GenledgerError {
  return usageError('GENLEDGER_BAD_CATALOG_REF', `installable ${quoteName(text)} ${message}`, hint);
}

function badUrl(url: string, message: string): GenledgerError {
  return refused('GENLEDGER_BAD_CATALOG_URL', `catalog URL ${quoteName(url)} ${message}`);
}
