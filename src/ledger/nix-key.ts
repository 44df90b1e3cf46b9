/**
 * Nix's ed25519 key format (nix-compat.md 11.5), the pure codec:
 * secret `<name>:<base64 of seed(32) || public key(32)>` (libsodium's
 * secret key), public `<name>:<base64 of public key(32)>`. Formatting
 * writes no trailing newline, as `nix-store --generate-binary-cache-key`;
 * parsing splits at the first `:` and, like Nix's decoder, skips newlines.
 * Signatures are pure Ed25519 (RFC 8032) over the given bytes, base64.
 *
 * Invariant: a parsed secret key's public half is the one its seed
 * derives; libsodium would otherwise sign with a mismatched key and every
 * signature would fail to verify.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { refused } from '../errors.js';

export interface SecretKey {
  readonly name: string;
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
}

export interface PublicKey {
  readonly name: string;
  readonly key: Uint8Array;
}

// DER prefixes of an RFC 8410 PKCS#8 private key and SPKI public key, so raw bytes become KeyObjects.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HINT = "a Nix key file holds one line '<name>:<base64>', as written by 'genledger key generate' or 'nix-store --generate-binary-cache-key'";

export function generateKeyPair(name: string): { secretKey: SecretKey; publicKey: PublicKey } {
  checkKeyName(name);
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  const seed = Buffer.from(jwk.d ?? '', 'base64url');
  const secretKey: SecretKey = { name, seed, publicKey: Buffer.from(jwk.x ?? '', 'base64url') };
  return { secretKey, publicKey: publicKeyOf(secretKey) };
}

export function publicKeyOf(secret: SecretKey): PublicKey {
  return { name: secret.name, key: secret.publicKey };
}

export function formatSecretKey(secret: SecretKey): string {
  return `${secret.name}:${Buffer.concat([secret.seed, secret.publicKey]).toString('base64')}`;
}

export function formatPublicKey(key: PublicKey): string {
  return `${key.name}:${Buffer.from(key.key).toString('base64')}`;
}

export function parseSecretKey(text: string): SecretKey {
  const { name, bytes } = splitKey(text, 'secret', 64);
  const seed = bytes.subarray(0, 32);
  const publicKey = bytes.subarray(32);
  if (!derivePublicKey(seed).equals(publicKey)) {
    throw refused('GENLEDGER_BAD_KEY', `the secret key '${name}' is inconsistent: its public half is not derived from its seed`, HINT);
  }
  return { name, seed, publicKey };
}

export function parsePublicKey(text: string): PublicKey {
  const { name, bytes } = splitKey(text, 'public', 32);
  return { name, key: bytes };
}

/** The base64 Ed25519 signature of `bytes` (a string is signed as its UTF-8 bytes). */
export function signDetached(secret: SecretKey, bytes: Uint8Array | string): string {
  return sign(null, toBytes(bytes), privateKeyObject(secret.seed)).toString('base64');
}

export function verifyDetached(key: PublicKey, bytes: Uint8Array | string, signatureBase64: string): boolean {
  if (!BASE64.test(signatureBase64)) return false;
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length !== 64) return false;
  try {
    return verify(null, toBytes(bytes), publicKeyObject(key.key), signature);
  } catch {
    return false;
  }
}

function splitKey(text: string, kind: 'secret' | 'public', size: number): { name: string; bytes: Buffer } {
  const colon = text.indexOf(':');
  const name = colon < 0 ? '' : text.slice(0, colon);
  const data = colon < 0 ? '' : text.slice(colon + 1).replace(/\n/g, '');
  if (name === '' || data === '') throw refused('GENLEDGER_BAD_KEY', `the ${kind} key is not of the form '<name>:<base64>'`, HINT);
  if (!BASE64.test(data)) throw refused('GENLEDGER_BAD_KEY', `the ${kind} key '${name}' is not valid base64`, HINT);
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length !== size) {
    throw refused('GENLEDGER_BAD_KEY', `the ${kind} key '${name}' holds ${bytes.length} bytes, not ${size}`, HINT);
  }
  return { name, bytes };
}

function checkKeyName(name: string): void {
  if (name === '' || /[:\s]/.test(name)) {
    throw refused('GENLEDGER_BAD_KEY', `the key name ${JSON.stringify(name)} must be non-empty, without ':' or spaces`, "name keys like 'cache.example.org-1'");
  }
}

function derivePublicKey(seed: Uint8Array): Buffer {
  const spki = createPublicKey(privateKeyObject(seed)).export({ format: 'der', type: 'spki' });
  return spki.subarray(SPKI_ED25519.length);
}

function privateKeyObject(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

function publicKeyObject(key: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519, key]), format: 'der', type: 'spki' });
}

function toBytes(bytes: Uint8Array | string): Buffer {
  return typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
