/**
 * The content address (`ca`) recorded with a store path (spec 2.5): how the
 * path was hashed and the hash, rendered as `text:sha256:<nix32>`,
 * `fixed:r:<algo>:<nix32>` (NAR) or `fixed:<algo>:<nix32>` (flat file).
 * Rendering always uses nix32; parsing accepts any digest encoding Nix does.
 * From a content address, the name and the references, the store path
 * follows, which is how a claimed `ca` is checked.
 */

import { refused } from '../errors.js';
import { Hash } from './hash.js';
import type { FileIngestionMethod, StoreDir } from './store-path.js';

export type ContentAddressMethod = 'text' | FileIngestionMethod;

export interface ContentAddress {
  readonly method: ContentAddressMethod;
  readonly hash: Hash;
}

export function renderContentAddress(ca: ContentAddress): string {
  const prefix = ca.method === 'text' ? 'text:' : ca.method === 'recursive' ? 'fixed:r:' : 'fixed:';
  return `${prefix}${ca.hash.toTyped('nix32')}`;
}

export function parseContentAddress(text: string): ContentAddress {
  if (text.startsWith('text:')) return { method: 'text', hash: Hash.parse(text.slice(5), 'sha256') };
  if (text.startsWith('fixed:r:')) return { method: 'recursive', hash: prefixedHash(text, 8) };
  if (text.startsWith('fixed:')) return { method: 'flat', hash: prefixedHash(text, 6) };
  throw refused(
    'GENLEDGER_BAD_CONTENT_ADDRESS',
    `content address '${text}' is neither 'text:…' nor 'fixed:…'`,
  );
}

function prefixedHash(text: string, from: number): Hash {
  const rest = text.slice(from);
  if (!rest.includes(':')) {
    throw refused('GENLEDGER_BAD_CONTENT_ADDRESS', `content address '${text}' does not name its hash algorithm`);
  }
  return Hash.parse(rest);
}

/**
 * The store path a content address implies. Only text and NAR+sha256
 * addresses can carry references (and only NAR+sha256 a self reference),
 * as in Nix.
 */
export function contentAddressedPath(
  storeDir: StoreDir,
  ca: ContentAddress,
  name: string,
  references: readonly string[] = [],
  hasSelfReference = false,
): string {
  if (ca.method === 'recursive' && ca.hash.algo === 'sha256') {
    return storeDir.makeSourcePath(ca.hash, references, hasSelfReference, name);
  }
  if (hasSelfReference || (ca.method !== 'text' && references.length > 0)) {
    throw refused(
      'GENLEDGER_BAD_CONTENT_ADDRESS',
      `a '${renderContentAddress(ca)}' path cannot have ${hasSelfReference ? 'a self reference' : 'references'}`,
    );
  }
  return ca.method === 'text'
    ? storeDir.makeTextPath(ca.hash, references, name)
    : storeDir.makeFixedOutputPath(ca.method, ca.hash, name);
}
