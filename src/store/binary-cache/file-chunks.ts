/**
 * A file as a synchronous sequence of chunks: the input the NAR parser and
 * restorer take, so a NAR on disk is processed piece by piece instead of
 * being read whole. Each chunk is a fresh buffer, safe to keep.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { Hash } from '../hash.js';
import type { HashAlgo } from '../hash.js';

const CHUNK_BYTES = 64 * 1024;

export function* fileChunks(path: string): Generator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const got = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (got === 0) return;
      yield chunk.subarray(0, got);
    }
  } finally {
    closeSync(fd);
  }
}

/** The hash and size of a file's bytes, read piece by piece. */
export function hashFile(algo: HashAlgo, path: string): { hash: Hash; size: number } {
  const hash = Hash.incremental(algo);
  let size = 0;
  for (const chunk of fileChunks(path)) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { hash: hash.digest(), size };
}
