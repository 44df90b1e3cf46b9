/**
 * When a path from a binary cache may enter the store (spec 11.4): it needs
 * a valid signature by a trusted key, unless it is content-addressed and its
 * `CA` really implies its path — then the path name itself vouches for the
 * contents (which the substituter checks against the CA hash), and no
 * signature is needed.
 */
import type { PublicKey } from '../../ledger/nix-key.js';
import { isGenledgerError } from '../../errors.js';
import { contentAddressedPath, parseContentAddress } from '../content-address.js';
import type { StoreDir } from '../store-path.js';
import { verifyPathInfoSignatures } from './fingerprint.js';
import type { NarInfo } from './narinfo.js';

/** Whether `info.ca`, with the name and references, gives exactly `info.storePath`. */
export function caImpliesPath(storeDir: StoreDir, info: NarInfo): boolean {
  if (info.ca === undefined) return false;
  const others = info.references.filter((reference) => reference !== info.storePath);
  try {
    const { name } = storeDir.parseStorePath(info.storePath);
    const ca = parseContentAddress(info.ca);
    return contentAddressedPath(storeDir, ca, name, others, others.length !== info.references.length) === info.storePath;
  } catch (error) {
    // A CA that cannot carry these references (a flat hash with references, say) implies no path.
    if (isGenledgerError(error)) return false;
    throw error;
  }
}

export function isTrusted(storeDir: StoreDir, info: NarInfo, trustedKeys: readonly PublicKey[]): boolean {
  if (caImpliesPath(storeDir, info)) return true;
  const facts = { path: info.storePath, narHash: info.narHash, narSize: info.narSize, references: info.references };
  return verifyPathInfoSignatures(facts, info.sigs, trustedKeys);
}
