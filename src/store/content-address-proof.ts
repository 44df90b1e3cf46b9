/**
 * Recovering a store path's content address and references from its name
 * and contents alone, when no registry says them (a path copied from
 * another store, or a store whose registry was lost). A content-addressed
 * path's name is a function of its contents and references, so trying the
 * candidates either proves one or none:
 *
 * - a NAR+sha256 path (`store add`, profiles) with the references a scan
 *   found, and with none (plain `store add` records none, even when the
 *   contents happen to mention another path);
 * - a text path (a regular file such as nix-env's env-manifest) with the
 *   references found.
 *
 * The references returned are those of the proven fingerprint; when
 * nothing is proven the path is input-addressed (ca null) and keeps the
 * scanned references, the way Nix finds a build's.
 */
import { lstatSync } from 'node:fs';
import { hashFile } from './binary-cache/file-chunks.js';
import { renderContentAddress } from './content-address.js';
import type { NarDigest } from './nar-digest.js';
import { HASH_PART_LENGTH } from './store-path.js';
import type { StoreDir } from './store-path.js';

export interface ProvenAddress {
  readonly ca: string | null;
  /** Sorted, the path itself included when it refers to itself. */
  readonly references: readonly string[];
}

/**
 * `readable` is where the path's contents are (its physical place);
 * `scanned` are the other paths whose hash parts its NAR holds.
 */
export function proveContentAddress(storeDir: StoreDir, path: string, readable: string, digest: NarDigest, scanned: readonly string[], selfReference: boolean): ProvenAddress {
  const name = path.slice(path.lastIndexOf('/') + HASH_PART_LENGTH + 2);
  const others = [...scanned].sort();
  const found = selfReference ? [...others, path].sort() : others;
  const recursive = renderContentAddress({ method: 'recursive', hash: digest.narHash });
  if (storeDir.makeSourcePath(digest.narHash, others, selfReference, name) === path) return { ca: recursive, references: found };
  if ((others.length > 0 || selfReference) && storeDir.makeSourcePath(digest.narHash, [], false, name) === path) return { ca: recursive, references: [] };
  if (!selfReference && lstatSync(readable).isFile()) {
    const contents = hashFile('sha256', readable).hash;
    if (storeDir.makeTextPath(contents, others, name) === path) return { ca: renderContentAddress({ method: 'text', hash: contents }), references: others };
  }
  return { ca: null, references: found };
}
