/**
 * The name of an indirect GC root: Nix registers a root link `L` made
 * outside the roots directories as `gcroots/auto/<name>` → `L`, where the
 * name is the nix32 text of the full 20-byte SHA-1 of `L`'s path string
 * (not compressed, unlike store path hashes). The same link always gets the
 * same name, so registering it again replaces rather than duplicates.
 */
import { hash } from 'node:crypto';
import { encodeNix32 } from './nix-base32.js';

export function indirectRootName(linkPath: string): string {
  // One-shot hash: a plan names thousands of roots, and a Hash object costs more than the digest.
  return encodeNix32(hash('sha1', linkPath, 'buffer'));
}
