/**
 * Event signatures. An event's `sig` is `<key name>:<base64 Ed25519
 * signature>` over the ASCII hex of its hash, the same `name:signature`
 * shape as a narinfo `Sig:` line. Since the hash seals every other field,
 * signing the hash signs the event.
 */
import type { StoredEvent } from './event.js';
import { signDetached, verifyDetached } from './nix-key.js';
import type { PublicKey, SecretKey } from './nix-key.js';

export interface EventSigner {
  readonly keyName: string;
  /** The `sig` value for an event whose hash is `hash`. */
  sign(hash: string): string;
}

export type SignatureStatus = 'valid' | 'unsigned' | 'untrusted' | 'bad' | 'malformed';

export function eventSigner(secret: SecretKey): EventSigner {
  return {
    keyName: secret.name,
    sign: (hash) => `${secret.name}:${signDetached(secret, hash)}`,
  };
}

/**
 * What a signature proves against `trustedKeys`: `untrusted` when no key of
 * the signature's name is given (so nothing can be said about it), `bad`
 * when a key of that name is given and the signature does not verify.
 */
export function checkEventSignature(event: Pick<StoredEvent, 'hash' | 'sig'>, trustedKeys: readonly PublicKey[]): SignatureStatus {
  return checkSignature(event.hash, event.sig, trustedKeys);
}

/** The same statuses for a `name:signature` over any text (a bundle head's fingerprint signs this way too). */
export function checkSignature(message: string, sig: string | undefined, trustedKeys: readonly PublicKey[]): SignatureStatus {
  if (sig === undefined) return 'unsigned';
  const colon = sig.indexOf(':');
  if (colon <= 0) return 'malformed';
  const name = sig.slice(0, colon);
  const signature = sig.slice(colon + 1);
  if (!/^[A-Za-z0-9+/]{86}==$/.test(signature)) return 'malformed';
  const candidates = trustedKeys.filter((key) => key.name === name);
  if (candidates.length === 0) return 'untrusted';
  return candidates.some((key) => verifyDetached(key, message, signature)) ? 'valid' : 'bad';
}
