/**
 * Finding references: which candidate store paths' 32-character hash parts
 * occur anywhere in a byte stream (Nix scans the NAR, so file contents,
 * symlink targets and entry names all count). The scanner is a sink: feed it
 * the chunks `dumpPath` produces while they are also hashed, and a hash
 * part split across two chunks is still found, because the last 31 bytes of
 * each chunk are kept and searched together with the start of the next.
 *
 * The search skips like Nix's: a window of 32 bytes is only compared once
 * every byte in it is a nix32 character, and a byte outside the alphabet
 * moves the window past it.
 */

import type { NarSink } from './nar-encoder.js';

const HASH_PART_LENGTH = 32;
const CARRIED = HASH_PART_LENGTH - 1;
const NIX32_ALPHABET = '0123456789abcdfghijklmnpqrsvwxyz';

export class ReferenceScanner {
  private readonly isNix32 = new Uint8Array(256);
  /** The carried tail of earlier input, then (transiently) the head of the current chunk. */
  private readonly seam = Buffer.alloc(2 * CARRIED);
  private carried = 0;
  /** Hash part → store path, for each candidate seen. */
  private readonly seen = new Map<string, string>();

  /** `candidates` maps a hash part to the store path it names. */
  constructor(private readonly candidates: ReadonlyMap<string, string>) {
    for (let i = 0; i < NIX32_ALPHABET.length; i++) this.isNix32[NIX32_ALPHABET.charCodeAt(i)] = 1;
  }

  /** Scans the next chunk; it is not kept, so a reused buffer is fine. */
  readonly feed: NarSink = (chunk) => {
    if (this.seen.size === this.candidates.size) return;
    const head = Math.min(chunk.length, CARRIED);
    this.seam.set(chunk.subarray(0, head), this.carried);
    const joined = this.carried + head;
    if (this.carried > 0) this.search(this.seam, joined);
    this.search(chunk, chunk.length);
    if (chunk.length >= CARRIED) {
      this.seam.set(chunk.subarray(chunk.length - CARRIED), 0);
      this.carried = CARRIED;
    } else {
      this.carried = Math.min(joined, CARRIED);
      this.seam.copyWithin(0, joined - this.carried, joined);
    }
  };

  /** The store paths found so far. */
  found(): Set<string> {
    return new Set(this.seen.values());
  }

  private search(data: Uint8Array, length: number): void {
    const text = Buffer.from(data.buffer, data.byteOffset, length);
    let i = 0;
    while (i + HASH_PART_LENGTH <= length) {
      let j = HASH_PART_LENGTH - 1;
      while (j >= 0 && this.isNix32[text[i + j] ?? 0] === 1) j--;
      if (j >= 0) {
        i += j + 1;
        continue;
      }
      const hashPart = text.toString('latin1', i, i + HASH_PART_LENGTH);
      const path = this.candidates.get(hashPart);
      if (path !== undefined) this.seen.set(hashPart, path);
      i++;
    }
  }
}

export function scanForReferences(
  chunks: Iterable<Uint8Array>,
  candidates: ReadonlyMap<string, string>,
): Set<string> {
  const scanner = new ReferenceScanner(candidates);
  for (const chunk of chunks) scanner.feed(chunk);
  return scanner.found();
}
