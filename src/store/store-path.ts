/**
 * Store paths (spec 2): `<storeDir>/<hash part>-<name>`, where the hash part
 * is the nix32 of a sha256 fingerprint folded to 160 bits. A `StoreDir` is
 * the logical store directory that goes into every fingerprint (the
 * `/nix/store` of a chroot store, not where its files physically live), so
 * the same object gets the same path wherever it is stored.
 *
 * Invariants: every path this class returns or accepts lies directly in the
 * store directory, has a 32-character nix32 hash part, a `-`, and a name
 * passing `checkStorePathName`; references in fingerprints are sorted and
 * deduplicated, as Nix's path sets are.
 */

import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { refused, usageError } from '../errors.js';
import type { Hash } from './hash.js';
import { compressHash } from './hash-compression.js';
import { encodeNix32 } from './nix-base32.js';
import { checkStorePathName, storePathNameProblem } from './store-path-name.js';

export { checkStorePathName } from './store-path-name.js';

export const HASH_PART_LENGTH = 32;

export interface ParsedStorePath {
  readonly hashPart: string;
  readonly name: string;
  /** `<hashPart>-<name>` */
  readonly baseName: string;
}

export type FileIngestionMethod = 'flat' | 'recursive';

const HASH_PART = /^[0-9a-df-np-sv-z]{32}$/;

export class StoreDir {
  constructor(readonly path: string) {
    if (!path.startsWith('/') || path === '/' || posix.normalize(path) !== path || path.endsWith('/')) {
      throw usageError(
        'GENLEDGER_BAD_STORE_DIR',
        `store directory '${path}' is not a canonical absolute path`,
        "give it without '.', '..', repeated or trailing slashes, e.g. '/nix/store'",
      );
    }
  }

  /** The generic construction of spec 2.2; `innerDigestHex` is a lower-case sha256 in base-16. */
  makeStorePath(type: string, innerDigestHex: string, name: string): string {
    if (!/^[0-9a-f]{64}$/.test(innerDigestHex)) {
      throw refused('GENLEDGER_BAD_HASH', `'${innerDigestHex}' is not a lower-case base-16 sha256 digest`);
    }
    const fingerprint = `${type}:sha256:${innerDigestHex}:${this.path}:${name}`;
    const digest = createHash('sha256').update(fingerprint).digest();
    const baseName = `${encodeNix32(compressHash(digest, 20))}-${name}`;
    checkStorePathName(name, baseName);
    return `${this.path}/${baseName}`;
  }

  /** A NAR+sha256 content-addressed path: what `nix-store --add` gives (with no references). */
  makeSourcePath(narHash: Hash, references: readonly string[], hasSelfReference: boolean, name: string): string {
    requireSha256(narHash, 'a source path');
    const type = ['source', ...this.sortedReferences(references), ...(hasSelfReference ? ['self'] : [])].join(':');
    return this.makeStorePath(type, narHash.toHex(), name);
  }

  /** A text path (`builtins.toFile`, `.drv` files): the hash is of the file's contents. */
  makeTextPath(contentsHash: Hash, references: readonly string[], name: string): string {
    requireSha256(contentsHash, 'a text path');
    return this.makeStorePath(['text', ...this.sortedReferences(references)].join(':'), contentsHash.toHex(), name);
  }

  /** A fixed-output path; NAR hashing with sha256 is the source path, every other case `output:out`. */
  makeFixedOutputPath(method: FileIngestionMethod, hash: Hash, name: string): string {
    if (method === 'recursive' && hash.algo === 'sha256') return this.makeSourcePath(hash, [], false, name);
    const inner = `fixed:out:${method === 'recursive' ? 'r:' : ''}${hash.algo}:${hash.toHex()}:`;
    return this.makeStorePath('output:out', createHash('sha256').update(inner).digest('hex'), name);
  }

  parseStorePath(path: string): ParsedStorePath {
    const parsed = this.inspect(path);
    if (typeof parsed === 'string') throw refused('GENLEDGER_BAD_STORE_PATH', parsed);
    return parsed;
  }

  isStorePath(path: string): boolean {
    return typeof this.inspect(path) !== 'string';
  }

  /**
   * The store path holding `pathInsideStore` (itself or an ancestor), e.g.
   * `/nix/store/…-foo/bin/a` → `/nix/store/…-foo`. The path must be
   * canonical: a `.` or `..` component (which could climb out of the store
   * path) or an empty one is refused rather than resolved.
   */
  storePathOf(pathInsideStore: string): string {
    if (!pathInsideStore.startsWith(`${this.path}/`)) throw notInStore(pathInsideStore, this.path);
    const components = pathInsideStore.slice(this.path.length + 1).split('/');
    if (components.length > 1 && components[components.length - 1] === '') components.pop();
    if (components.some((component) => component === '' || component === '.' || component === '..')) {
      throw refused('GENLEDGER_BAD_STORE_PATH', `path '${pathInsideStore}' is not canonical`);
    }
    const [first = ''] = components;
    const storePath = `${this.path}/${first}`;
    this.parseStorePath(storePath);
    return storePath;
  }

  /** The parsed path, or the reason it is not a store path of this store. */
  private inspect(path: string): ParsedStorePath | string {
    if (!path.startsWith(`${this.path}/`)) return notInStore(path, this.path).message;
    const baseName = path.slice(this.path.length + 1);
    if (baseName.includes('/')) return `path '${path}' is inside a store path, not a store path itself`;
    if (baseName.length < HASH_PART_LENGTH + 2) return `'${baseName}' is too short to be a valid store path`;
    const hashPart = baseName.slice(0, HASH_PART_LENGTH);
    if (!HASH_PART.test(hashPart)) return `store path '${baseName}' has an invalid hash part`;
    if (baseName[HASH_PART_LENGTH] !== '-') return `store path '${baseName}' has no '-' after its hash part`;
    const name = baseName.slice(HASH_PART_LENGTH + 1);
    const problem = storePathNameProblem(name);
    if (problem !== undefined) return `store path '${baseName}' ${problem}`;
    return { hashPart, name, baseName };
  }

  private sortedReferences(references: readonly string[]): string[] {
    for (const reference of references) this.parseStorePath(reference);
    // Valid store paths are ASCII, so code-unit order is Nix's byte order.
    return [...new Set(references)].sort();
  }
}

function requireSha256(hash: Hash, what: string): void {
  if (hash.algo !== 'sha256') {
    throw refused('GENLEDGER_BAD_HASH', `${what} needs a sha256 hash, not ${hash.algo}`);
  }
}

function notInStore(path: string, storeDir: string): Error {
  return refused('GENLEDGER_BAD_STORE_PATH', `path '${path}' is not in the store '${storeDir}'`);
}
