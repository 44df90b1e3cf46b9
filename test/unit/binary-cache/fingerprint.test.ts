import { describe, expect, it } from 'vitest';
import { generateKeyPair, parsePublicKey, parseSecretKey } from '../../../src/ledger/nix-key.js';
import { pathInfoFingerprint, signPathInfo, verifyPathInfoSignature, verifyPathInfoSignatures } from '../../../src/store/binary-cache/fingerprint.js';
import { parseNarInfo } from '../../../src/store/binary-cache/narinfo.js';
import { StoreDir } from '../../../src/store/store-path.js';
import { NARINFO_VECTORS, REF2_FINGERPRINT, TEST_PUBLIC_KEY, TEST_SECRET_KEY } from './vectors.js';

const storeDir = new StoreDir('/nix/store');
const secretKey = parseSecretKey(TEST_SECRET_KEY);
const publicKey = parsePublicKey(TEST_PUBLIC_KEY);
const facts = (text: string) => {
  const info = parseNarInfo(text, storeDir, 'vector');
  return { path: info.storePath, narHash: info.narHash, narSize: info.narSize, references: info.references, sigs: info.sigs };
};

describe('path fingerprints and signatures (spec 11.4)', () => {
  it('builds the fingerprint of the spec example byte for byte', () => {
    expect(pathInfoFingerprint(facts(NARINFO_VECTORS.ref2))).toBe(REF2_FINGERPRINT);
  });

  it('ends the fingerprint with an empty field when there are no references', () => {
    expect(pathInfoFingerprint(facts(NARINFO_VECTORS.F1))).toBe(
      '1;/nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt;sha256:14ml5q1qvx7y3d0n2d1n0j2gdj4s0z54pfj6iwvgnn038ipybsgd;128;',
    );
  });

  it('sorts references and keeps a self reference', () => {
    const self = '/nix/store/j9xpm5a9yzp9v5slnxsgvay2lnwqi2l6-selfref';
    const base = facts(NARINFO_VECTORS.F1);
    expect(pathInfoFingerprint({ ...base, path: self, references: [self, '/nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt'] })).toMatch(
      /;\/nix\/store\/2xr781z591fm9c9jchvf8389sr8qsszk-hello\.txt,\/nix\/store\/j9xpm5a9yzp9v5slnxsgvay2lnwqi2l6-selfref$/,
    );
  });

  it.each(Object.entries(NARINFO_VECTORS))('signs the %s path with the test key exactly as Nix did', (_name, text) => {
    const vector = facts(text);
    expect([signPathInfo(vector, secretKey)]).toEqual(vector.sigs);
    expect(verifyPathInfoSignatures(vector, vector.sigs, [publicKey])).toBe(true);
  });

  it('does not count a signature whose key is not trusted, or is trusted under another name', () => {
    const vector = facts(NARINFO_VECTORS.profile);
    const other = generateKeyPair('other-1').publicKey;
    expect(verifyPathInfoSignatures(vector, vector.sigs, [other])).toBe(false);
    expect(verifyPathInfoSignatures(vector, vector.sigs, [{ name: 'renamed', key: publicKey.key }])).toBe(false);
    expect(verifyPathInfoSignatures(vector, vector.sigs, [])).toBe(false);
  });

  it('does not count a signature over different facts', () => {
    const vector = facts(NARINFO_VECTORS.profile);
    expect(verifyPathInfoSignatures({ ...vector, narSize: vector.narSize + 1 }, vector.sigs, [publicKey])).toBe(false);
    expect(verifyPathInfoSignatures({ ...vector, references: vector.references.slice(1) }, vector.sigs, [publicKey])).toBe(false);
  });

  it.each(['no-colon', 'nixspec-test-1:', 'nixspec-test-1:!!!', 'nixspec-test-1:AAAA'])('treats the malformed signature %j as not valid', (sig) => {
    expect(verifyPathInfoSignature(facts(NARINFO_VECTORS.F1), sig, [publicKey])).toBe(false);
  });

  it('accepts a path when any one of several signatures is valid', () => {
    const vector = facts(NARINFO_VECTORS.F1);
    expect(verifyPathInfoSignatures(vector, ['other:abc', ...vector.sigs], [publicKey])).toBe(true);
  });
});
