/**
 * The identity of a NAR: its sha256 (`narHash`) and length (`narSize`),
 * computed while the NAR streams past, never from a whole buffer.
 */

import { Hash } from './hash.js';
import type { NarSink } from './nar-encoder.js';

export interface NarDigest {
  readonly narHash: Hash;
  readonly narSize: number;
}

/**
 * Runs `produce` with a sink that hashes and counts what it is given. `also`
 * sees the same chunks, so a second consumer (a reference scanner, a file
 * writer) needs no second pass.
 */
export function digestNar(produce: (sink: NarSink) => void, also?: NarSink): NarDigest {
  const hash = Hash.incremental('sha256');
  let narSize = 0;
  produce((chunk) => {
    hash.update(chunk);
    narSize += chunk.length;
    also?.(chunk);
  });
  return { narHash: hash.digest(), narSize };
}
