/**
 * Signed stream heads. An exporter vouches for a whole stream by signing
 * its head: `genledger-head;STREAM;VERSION;HASH`, a fingerprint in the
 * manner of Nix's narinfo fingerprint, signed as `keyname:base64`. Since
 * every event's hash seals its `prev`, the head's hash seals the chain down
 * to version 1: whoever checks that chain and the signature knows the
 * signer vouched for every event, signed one by one or not.
 */
import { checkSignature } from './event-signer.js';
import type { SignatureStatus } from './event-signer.js';
import { signDetached } from './nix-key.js';
import type { PublicKey, SecretKey } from './nix-key.js';

export interface StreamHead {
  readonly stream: string;
  readonly version: number;
  readonly hash: string;
}

export function headFingerprint(head: StreamHead): string {
  return `genledger-head;${head.stream};${head.version};${head.hash}`;
}

export function signHead(secret: SecretKey, head: StreamHead): string {
  return `${secret.name}:${signDetached(secret, headFingerprint(head))}`;
}

export function checkHeadSignature(head: StreamHead, sig: string | undefined, trustedKeys: readonly PublicKey[]): SignatureStatus {
  return checkSignature(headFingerprint(head), sig, trustedKeys);
}

/** The key name of a `keyname:signature` value. */
export function signatureKeyName(sig: string): string {
  return sig.slice(0, Math.max(0, sig.indexOf(':')));
}
