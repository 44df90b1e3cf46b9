/**
 * Writes a new key pair: the public file first, then the secret one created
 * with mode 0600 and O_EXCL, so an existing key is never overwritten and a
 * secret is never readable by others, not even for a moment.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { refused, usageError } from '../errors.js';
import { formatPublicKey, formatSecretKey, generateKeyPair } from '../ledger/nix-key.js';

export function writeKeyPair(dir: string, name: string): { name: string; secretKeyFile: string; publicKeyFile: string; publicKey: string } {
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(name)) {
    throw usageError('GENLEDGER_BAD_KEY_NAME', `'${name}' is not a valid key name`, 'use letters, digits and . _ + -, like host.example.org-1');
  }
  const { secretKey, publicKey } = generateKeyPair(name);
  const publicKeyFile = `${dir}/${name}.pub`;
  const secretKeyFile = `${dir}/${name}.sec`;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(publicKeyFile, formatPublicKey(publicKey), { flag: 'wx', mode: 0o644 });
    writeFileSync(secretKeyFile, formatSecretKey(secretKey), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw refused('GENLEDGER_KEY_EXISTS', `a key named '${name}' already exists in ${dir}`, 'choose another name, or remove the old files first');
    throw error;
  }
  return { name, secretKeyFile, publicKeyFile, publicKey: formatPublicKey(publicKey) };
}
