/**
 * Whether substituted contents really have the hash their content address
 * claims (what Nix 2.8 checks when a path with a `CA` is imported). This is
 * what makes an unsigned content-addressed path safe: its narinfo's
 * NarHash is as untrusted as the rest, but the CA hash is bound to the path
 * name, and here it is bound to the bytes.
 */
import { lstatSync } from 'node:fs';
import type { ContentAddress } from '../content-address.js';
import type { Hash } from '../hash.js';
import { hashFile } from './file-chunks.js';

/**
 * `narFile` is the NAR as fetched (already checked against `narHash`),
 * `restoredRoot` the tree restored from it.
 */
export function contentMatchesAddress(ca: ContentAddress, narFile: string, narHash: Hash, restoredRoot: string): boolean {
  if (ca.method === 'recursive') {
    return ca.hash.algo === 'sha256' ? ca.hash.equals(narHash) : hashFile(ca.hash.algo, narFile).hash.equals(ca.hash);
  }
  // Flat and text addresses hash the bytes of a single regular file.
  if (!lstatSync(restoredRoot).isFile()) return false;
  return hashFile(ca.hash.algo, restoredRoot).hash.equals(ca.hash);
}
