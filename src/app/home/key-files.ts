/**
 * `key generate NAME`: a new key pair written as DIR/NAME.sec and
 * DIR/NAME.pub (see ledger/key-files.ts for the modes and the no-overwrite
 * rule). The name is checked first: it becomes part of every signature.
 */
import { mkdirSync } from 'node:fs';
import { usageError } from '../../errors.js';
import { writeKeyFiles } from '../../ledger/key-files.js';
import { formatPublicKey, generateKeyPair } from '../../ledger/nix-key.js';

export function writeKeyPair(dir: string, name: string): { name: string; secretKeyFile: string; publicKeyFile: string; publicKey: string } {
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(name)) {
    throw usageError('GENLEDGER_BAD_KEY_NAME', `'${name}' is not a valid key name`, 'use letters, digits and . _ + -, like host.example.org-1');
  }
  const pair = generateKeyPair(name);
  const paths = { secretPath: `${dir}/${name}.sec`, publicPath: `${dir}/${name}.pub` };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeKeyFiles(paths, pair);
  return { name, secretKeyFile: paths.secretPath, publicKeyFile: paths.publicPath, publicKey: formatPublicKey(pair.publicKey) };
}
