/**
 * A cryptographic hash as Nix uses it: an algorithm and its digest bytes,
 * printable as base-16, nix32, base-64 or SRI. Parsing accepts every textual
 * form Nix accepts (`<algo>:<digest>` with the digest's encoding told apart
 * by length, `<algo>-<base64>`, and a bare digest when the algorithm is known
 * from context) and nothing looser: a parsed value always re-prints to an
 * equivalent text, and its digest always has the algorithm's length.
 */

import { createHash } from 'node:crypto';
import type { Hash as NodeHash } from 'node:crypto';
import { refused } from '../errors.js';
import { decodeNix32, encodeNix32, nix32Length } from './nix-base32.js';

export type HashAlgo = 'md5' | 'sha1' | 'sha256' | 'sha512';

export type HashForm = 'hex' | 'nix32' | 'base64';

const DIGEST_BYTES: Readonly<Record<HashAlgo, number>> = { md5: 16, sha1: 20, sha256: 32, sha512: 64 };

export function isHashAlgo(text: string): text is HashAlgo {
  return Object.hasOwn(DIGEST_BYTES, text);
}

export function digestLength(algo: HashAlgo): number {
  return DIGEST_BYTES[algo];
}

export class Hash {
  private constructor(
    readonly algo: HashAlgo,
    readonly bytes: Buffer,
  ) {}

  /** Wraps digest bytes computed elsewhere, e.g. by an incremental `createHash`. */
  static fromDigest(algo: HashAlgo, digest: Uint8Array): Hash {
    if (digest.length !== DIGEST_BYTES[algo]) {
      throw refused('GENLEDGER_BAD_HASH', `a ${algo} digest has ${DIGEST_BYTES[algo]} bytes, not ${digest.length}`);
    }
    return new Hash(algo, Buffer.from(digest));
  }

  static of(algo: HashAlgo, data: Uint8Array | string): Hash {
    return new Hash(algo, createHash(algo).update(data).digest());
  }

  /** A hash fed piece by piece, for data that is streamed rather than held. */
  static incremental(algo: HashAlgo): HashBuilder {
    return new HashBuilder(algo, createHash(algo));
  }

  /**
   * Reads `<algo>:<digest>`, SRI `<algo>-<base64>`, or (when `algo` is given)
   * a bare digest. With `algo` given, a prefixed text must name that algorithm.
   */
  static parse(text: string, algo?: HashAlgo): Hash {
    const colon = text.indexOf(':');
    if (colon >= 0) {
      return Hash.parseDigest(text.slice(colon + 1), expectAlgo(text.slice(0, colon), algo, text), text);
    }
    const dash = text.indexOf('-');
    if (dash >= 0 && isHashAlgo(text.slice(0, dash))) {
      const sriAlgo = expectAlgo(text.slice(0, dash), algo, text);
      return Hash.fromBase64(text.slice(dash + 1), sriAlgo, text);
    }
    if (algo === undefined) {
      throw refused(
        'GENLEDGER_BAD_HASH',
        `hash '${text}' does not name its algorithm`,
        "write it as '<algo>:<digest>' or in SRI form '<algo>-<base64>'",
      );
    }
    return Hash.parseDigest(text, algo, text);
  }

  private static parseDigest(digest: string, algo: HashAlgo, whole: string): Hash {
    const size = DIGEST_BYTES[algo];
    if (digest.length === size * 2) {
      if (!/^[0-9a-fA-F]*$/.test(digest)) {
        throw refused('GENLEDGER_BAD_HASH', `hash '${whole}' is not valid base-16`);
      }
      return new Hash(algo, Buffer.from(digest, 'hex'));
    }
    if (digest.length === nix32Length(size)) return new Hash(algo, decodeNix32(digest, size));
    if (digest.length === base64Length(size)) return Hash.fromBase64(digest, algo, whole);
    throw refused('GENLEDGER_BAD_HASH', `hash '${whole}' has the wrong length for a ${algo} digest`);
  }

  private static fromBase64(digest: string, algo: HashAlgo, whole: string): Hash {
    const bytes = Buffer.from(digest, 'base64');
    if (bytes.length !== DIGEST_BYTES[algo] || bytes.toString('base64') !== digest) {
      throw refused('GENLEDGER_BAD_HASH', `hash '${whole}' is not a valid base-64 ${algo} digest`);
    }
    return new Hash(algo, bytes);
  }

  toHex(): string {
    return this.bytes.toString('hex');
  }

  toNix32(): string {
    return encodeNix32(this.bytes);
  }

  toBase64(): string {
    return this.bytes.toString('base64');
  }

  toSRI(): string {
    return `${this.algo}-${this.toBase64()}`;
  }

  toTyped(form: HashForm): string {
    const digest = form === 'hex' ? this.toHex() : form === 'nix32' ? this.toNix32() : this.toBase64();
    return `${this.algo}:${digest}`;
  }

  equals(other: Hash): boolean {
    return this.algo === other.algo && this.bytes.equals(other.bytes);
  }
}

function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

function expectAlgo(name: string, expected: HashAlgo | undefined, whole: string): HashAlgo {
  if (!isHashAlgo(name)) {
    throw refused('GENLEDGER_BAD_HASH', `hash '${whole}' names the unknown algorithm '${name}'`);
  }
  if (expected !== undefined && name !== expected) {
    throw refused('GENLEDGER_BAD_HASH', `hash '${whole}' is ${name}, but a ${expected} hash is needed`);
  }
  return name;
}

export class HashBuilder {
  constructor(
    readonly algo: HashAlgo,
    private readonly state: NodeHash,
  ) {}

  update(data: Uint8Array | string): this {
    this.state.update(data);
    return this;
  }

  /** Finishes the hash; the builder cannot be fed afterwards. */
  digest(): Hash {
    return Hash.fromDigest(this.algo, this.state.digest());
  }
}
