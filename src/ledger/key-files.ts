/**
 * Nix key files on disk: the secret key readable by its owner only (0600),
 * the public key world-readable (0644), both without a trailing newline, as
 * `nix-store --generate-binary-cache-key` writes them. Existing files are
 * never overwritten: losing a secret key orphans every signature made with it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { refused } from '../errors.js';
import { formatPublicKey, formatSecretKey, parsePublicKey, parseSecretKey } from './nix-key.js';
import type { PublicKey, SecretKey } from './nix-key.js';

export interface KeyFilePaths {
  secretPath: string;
  publicPath: string;
}

export function writeKeyFiles(paths: KeyFilePaths, pair: { secretKey: SecretKey; publicKey: PublicKey }): void {
  for (const path of [paths.secretPath, paths.publicPath]) {
    if (existsSync(path)) throw refused('GENLEDGER_KEY_EXISTS', `the key file ${path} already exists`, 'choose other file names, or move the old key away first');
  }
  writeFileSync(paths.publicPath, formatPublicKey(pair.publicKey), { mode: 0o644, flag: 'wx' });
  writeFileSync(paths.secretPath, formatSecretKey(pair.secretKey), { mode: 0o600, flag: 'wx' });
}

export function readSecretKeyFile(path: string): SecretKey {
  return parseSecretKey(readKeyFile(path));
}

export function readPublicKeyFile(path: string): PublicKey {
  return parsePublicKey(readKeyFile(path));
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw refused('GENLEDGER_KEY_NOT_FOUND', `there is no key file at ${path}`, "create one with 'genledger key generate NAME'");
    throw refused('GENLEDGER_KEY_UNREADABLE', `cannot read the key file ${path} (${code ?? 'error'})`, 'check its owner and mode');
  }
}
