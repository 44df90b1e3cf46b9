import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPublicKeyFile, readSecretKeyFile, writeKeyFiles } from '../../../src/ledger/key-files.js';
import { formatPublicKey, formatSecretKey, generateKeyPair } from '../../../src/ledger/nix-key.js';

describe('key files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'genledger-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the secret key 0600 and the public key 0644, without trailing newlines', () => {
    const pair = generateKeyPair('test-1');
    const paths = { secretPath: join(dir, 'test.sec'), publicPath: join(dir, 'test.pub') };
    writeKeyFiles(paths, pair);
    expect(statSync(paths.secretPath).mode & 0o777).toBe(0o600);
    expect(statSync(paths.publicPath).mode & 0o777 & ~process.umask()).toBe(0o644 & ~process.umask());
    expect(readFileSync(paths.secretPath, 'utf8')).toBe(formatSecretKey(pair.secretKey));
    expect(readFileSync(paths.publicPath, 'utf8')).toBe(formatPublicKey(pair.publicKey));
    expect(readSecretKeyFile(paths.secretPath)).toEqual(pair.secretKey);
    expect(readPublicKeyFile(paths.publicPath).key).toEqual(pair.publicKey.key);
  });

  it('never overwrites an existing key file', () => {
    const paths = { secretPath: join(dir, 'test.sec'), publicPath: join(dir, 'test.pub') };
    writeKeyFiles(paths, generateKeyPair('test-1'));
    const before = readFileSync(paths.secretPath, 'utf8');
    expect(() => writeKeyFiles(paths, generateKeyPair('test-2'))).toThrow(expect.objectContaining({ code: 'GENLEDGER_KEY_EXISTS' }));
    expect(readFileSync(paths.secretPath, 'utf8')).toBe(before);
  });

  it('says which key file is missing', () => {
    const path = join(dir, 'absent.sec');
    expect(() => readSecretKeyFile(path)).toThrow(expect.objectContaining({ code: 'GENLEDGER_KEY_NOT_FOUND', message: `there is no key file at ${path}` }));
  });
});
