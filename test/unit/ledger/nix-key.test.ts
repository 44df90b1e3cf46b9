import { describe, expect, it } from 'vitest';
import {
  formatPublicKey,
  formatSecretKey,
  generateKeyPair,
  parsePublicKey,
  parseSecretKey,
  publicKeyOf,
  signDetached,
  verifyDetached,
} from '../../../src/ledger/nix-key.js';

// nix-compat.md 11.5 (test key, seed = bytes 0x00..0x1f), 11.4 (fingerprints) and 13.8 (Sig: lines).
const SPEC_SECRET = 'nixspec-test-1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8DoQe/884Qvh1w3RjnS8CZZ+TWMJulDV8d3IZkElUxuA==';
const SPEC_PUBLIC = 'nixspec-test-1:A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=';
const REF2_FINGERPRINT =
  '1;/nix/store/pldvghqwd8bk4gnyvxy7p0jqqi4b8zsp-ref2.txt;sha256:0a2kl19pr7lgl480jjfjg0nv58vwi1rv9wx3rs22c0d1pcbs25rw;224;' +
  '/nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt,/nix/store/hgl6cwhlhzpznapan2nfnls2nyyv4lqb-run.sh';
const REF2_SIG = 'uxQrh6hn5WWUJjJ64IBL0hSa5F1XWJwzijycUJ2xUHsTtRI5whbb19F1kmjSdB1KxcEX+oX5gWwWdwv8mp/0AQ==';
const F1_FINGERPRINT = '1;/nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt;sha256:14ml5q1qvx7y3d0n2d1n0j2gdj4s0z54pfj6iwvgnn038ipybsgd;128;';
const F1_SIG = 'FMV1kmqwHpEKgiRge0ED3F9p8KmeKJhbLJ3emdoVvQdoA2JjvblPjA9HdPPyUecoyRUWhRYQVuXU9bqbDwzADw==';

describe('Nix key files', () => {
  it("parses the spec's test key: seed 0x00..0x1f derives the published public key", () => {
    const secret = parseSecretKey(SPEC_SECRET);
    expect(secret.name).toBe('nixspec-test-1');
    expect([...secret.seed]).toEqual(Array.from({ length: 32 }, (_, index) => index));
    expect(formatPublicKey(publicKeyOf(secret))).toBe(SPEC_PUBLIC);
    expect(formatSecretKey(secret)).toBe(SPEC_SECRET);
    expect(formatPublicKey(parsePublicKey(SPEC_PUBLIC))).toBe(SPEC_PUBLIC);
  });

  it('signs narinfo fingerprints exactly as Nix 2.8 did (spec 13.8)', () => {
    const secret = parseSecretKey(SPEC_SECRET);
    expect(signDetached(secret, REF2_FINGERPRINT)).toBe(REF2_SIG);
    expect(signDetached(secret, new TextEncoder().encode(F1_FINGERPRINT))).toBe(F1_SIG);
  });

  it("verifies Nix's signatures and rejects any change to the message or the signature", () => {
    const key = parsePublicKey(SPEC_PUBLIC);
    expect(verifyDetached(key, REF2_FINGERPRINT, REF2_SIG)).toBe(true);
    expect(verifyDetached(key, REF2_FINGERPRINT.replace('224', '225'), REF2_SIG)).toBe(false);
    expect(verifyDetached(key, F1_FINGERPRINT, REF2_SIG)).toBe(false);
    expect(verifyDetached(key, REF2_FINGERPRINT, `A${REF2_SIG.slice(1)}`)).toBe(false);
    expect(verifyDetached(key, REF2_FINGERPRINT, 'not base64!')).toBe(false);
    expect(verifyDetached(key, REF2_FINGERPRINT, 'AAAA')).toBe(false);
  });

  it('tolerates the trailing newline an editor adds, and writes none', () => {
    expect(formatSecretKey(parseSecretKey(`${SPEC_SECRET}\n`))).toBe(SPEC_SECRET);
    expect(formatPublicKey(parsePublicKey(`${SPEC_PUBLIC}\n`))).toBe(SPEC_PUBLIC);
  });

  it.each([
    ['no name separator', 'nixspec-test-1'],
    ['an empty name', ':A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg='],
    ['no data', 'nixspec-test-1:'],
    ['invalid base64', 'nixspec-test-1:A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMb*='],
    ['a secret key where a public key belongs', SPEC_SECRET],
  ])('refuses a public key with %s', (_, text) => {
    expect(() => parsePublicKey(text)).toThrow(expect.objectContaining({ code: 'GENLEDGER_BAD_KEY', exitCode: 1 }));
  });

  it('refuses a secret key whose public half does not belong to its seed', () => {
    const bytes = Buffer.from(SPEC_SECRET.slice('nixspec-test-1:'.length), 'base64');
    bytes[63] = (bytes[63] ?? 0) ^ 1;
    expect(() => parseSecretKey(`nixspec-test-1:${bytes.toString('base64')}`)).toThrow(expect.objectContaining({ code: 'GENLEDGER_BAD_KEY' }));
    expect(() => parseSecretKey(SPEC_PUBLIC)).toThrow(expect.objectContaining({ code: 'GENLEDGER_BAD_KEY' }));
  });

  it('generates key pairs in the format of nix-store --generate-binary-cache-key (spec 13.9)', () => {
    const { secretKey, publicKey } = generateKeyPair('mykey-1');
    const secretText = formatSecretKey(secretKey);
    const publicText = formatPublicKey(publicKey);
    expect(secretText).toMatch(/^mykey-1:[A-Za-z0-9+/]{86}==$/);
    expect(publicText).toMatch(/^mykey-1:[A-Za-z0-9+/]{43}=$/);
    expect(parseSecretKey(secretText).publicKey).toEqual(parsePublicKey(publicText).key);
    const signature = signDetached(parseSecretKey(secretText), 'message');
    expect(verifyDetached(parsePublicKey(publicText), 'message', signature)).toBe(true);
  });

  it('refuses key names that the file format cannot hold', () => {
    for (const name of ['', 'a:b', 'has space']) {
      expect(() => generateKeyPair(name)).toThrow(expect.objectContaining({ code: 'GENLEDGER_BAD_KEY' }));
    }
  });
});
