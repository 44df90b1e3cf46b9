/**
 * Signatures on store paths (spec 11.4): an Ed25519 signature over the
 * path's fingerprint `1;<path>;<narHash sha256:nix32>;<narSize>;<refs>`,
 * written `<keyname>:<base64>`. A signature counts only when a trusted key
 * of that name verifies it, so an untrusted or malformed signature is just
 * not counted, never an error.
 */
import type { PublicKey, SecretKey } from '../../ledger/nix-key.js';
import { signDetached, verifyDetached } from '../../ledger/nix-key.js';
import type { Hash } from '../hash.js';

/** The parts of a path's info that its signature covers. */
export interface SignedFacts {
  readonly path: string;
  readonly narHash: Hash;
  readonly narSize: number;
  /** Full store paths, a self reference included. */
  readonly references: readonly string[];
}

export function pathInfoFingerprint(info: SignedFacts): string {
  // Store paths are ASCII, so code-unit order is Nix's byte order.
  const references = [...new Set(info.references)].sort().join(',');
  return `1;${info.path};${info.narHash.toTyped('nix32')};${info.narSize};${references}`;
}

export function signPathInfo(info: SignedFacts, secretKey: SecretKey): string {
  return `${secretKey.name}:${signDetached(secretKey, pathInfoFingerprint(info))}`;
}

/** Whether `sig` is a valid signature of `info` by one of `trustedKeys`. */
export function verifyPathInfoSignature(info: SignedFacts, sig: string, trustedKeys: readonly PublicKey[]): boolean {
  const colon = sig.indexOf(':');
  if (colon < 0) return false;
  const name = sig.slice(0, colon);
  const fingerprint = pathInfoFingerprint(info);
  return trustedKeys.some((key) => key.name === name && verifyDetached(key, fingerprint, sig.slice(colon + 1)));
}

/** Whether at least one of `sigs` is valid by a trusted key, as Nix requires for substitution. */
export function verifyPathInfoSignatures(info: SignedFacts, sigs: readonly string[], trustedKeys: readonly PublicKey[]): boolean {
  return sigs.some((sig) => verifyPathInfoSignature(info, sig, trustedKeys));
}
