import { describe, expect, it } from 'vitest';
import { Hash } from '../../../src/store/hash.js';
import { compressHash } from '../../../src/store/hash-compression.js';
import { encodeNix32 } from '../../../src/store/nix-base32.js';

const F1_HEX = 'ede9e56f440358fb368f46ba4bca079ac8f68404363461411bfef48d032eb492';
const F1_NIX32 = '14ml5q1qvx7y3d0n2d1n0j2gdj4s0z54pfj6iwvgnn038ipybsgd';
const F1_SRI = 'sha256-7enlb0QDWPs2j0a6S8oHmsj2hAQ2NGFBG/70jQMutJI=';
const F1_BASE64 = F1_SRI.slice('sha256-'.length);

describe('Hash', () => {
  const f1 = Hash.parse(`sha256:${F1_HEX}`);

  it('prints every textual form of the F1 NAR hash (spec 13.2)', () => {
    expect(f1.toHex()).toBe(F1_HEX);
    expect(f1.toNix32()).toBe(F1_NIX32);
    expect(f1.toBase64()).toBe(F1_BASE64);
    expect(f1.toSRI()).toBe(F1_SRI);
    expect(f1.toTyped('hex')).toBe(`sha256:${F1_HEX}`);
    expect(f1.toTyped('nix32')).toBe(`sha256:${F1_NIX32}`);
    expect(f1.toTyped('base64')).toBe(`sha256:${F1_BASE64}`);
  });

  it('parses base-16 (either case), nix32, base-64, SRI and bare digests to the same hash', () => {
    for (const text of [
      `sha256:${F1_HEX}`,
      `sha256:${F1_HEX.toUpperCase()}`,
      `sha256:${F1_NIX32}`,
      `sha256:${F1_BASE64}`,
      F1_SRI,
    ]) {
      expect(Hash.parse(text).equals(f1)).toBe(true);
    }
    expect(Hash.parse(F1_NIX32, 'sha256').equals(f1)).toBe(true);
    expect(Hash.parse(F1_HEX, 'sha256').equals(f1)).toBe(true);
  });

  it('computes digests of every supported algorithm (spec 13.3 flat hashes of F1)', () => {
    expect(Hash.of('sha1', 'Hello, Nix!\n').toHex()).toBe('71b8c8a66a3c28f093e03a20d8671cbb2505654b');
    expect(Hash.of('md5', 'Hello, Nix!\n').toHex()).toBe('fbff35187aa6f35df712a0fce2547911');
    expect(Hash.of('sha256', 'Hello, Nix!\n').toTyped('nix32')).toBe(
      'sha256:1n7ljx9m2klahrg3967sp9dfxkyvdrb75dbshqmqxccy6siciv69',
    );
    expect(Hash.of('sha512', '').bytes).toHaveLength(64);
  });

  it('feeds an incremental hash piece by piece to the same result', () => {
    const whole = Hash.of('sha256', 'Hello, Nix!\n');
    expect(Hash.incremental('sha256').update('Hello, ').update(Buffer.from('Nix!\n')).digest().equals(whole)).toBe(true);
  });

  it('distinguishes algorithms in equality', () => {
    expect(Hash.of('sha1', 'x').equals(Hash.of('sha256', 'x'))).toBe(false);
  });

  it.each([
    ['an unknown algorithm', `sha3:${F1_HEX}`],
    ['a digest of the wrong length', `sha256:${F1_HEX.slice(2)}`],
    ['a non-hex digest of hex length', `sha256:${'g'.repeat(64)}`],
    ['a non-nix32 digest of nix32 length', `sha256:${'e'.repeat(52)}`],
    ['a bad base-64 digest', `sha256:${'*'.repeat(43)}=`],
    ['a bare digest without an algorithm', F1_HEX],
    ['an SRI hash with a short digest', 'sha256-7enlb0QDWPs2j0a6S8oHmsj2hAQ2NGFBG/70jQMutJ=='],
    ['an empty string', ''],
  ])('refuses %s', (_what, text) => {
    expect(() => Hash.parse(text)).toThrow(expect.objectContaining({ code: 'GENLEDGER_BAD_HASH', exitCode: 1 }));
  });

  it('refuses a prefixed hash of another algorithm than the one required', () => {
    expect(() => Hash.parse('sha1:71b8c8a66a3c28f093e03a20d8671cbb2505654b', 'sha256')).toThrow(
      /is sha1, but a sha256 hash is needed/,
    );
  });
});

describe('compressHash', () => {
  it('folds the F1 NAR hash to the nix-hash --truncate vector (spec 1.6)', () => {
    expect(encodeNix32(compressHash(Buffer.from(F1_HEX, 'hex'), 20))).toBe('0j2gdj4s0z54na7jl4spdb7xbwp89pfv');
  });

  it('folds the store path fingerprint of the worked example (spec 2.2)', () => {
    const sha = Buffer.from('b87352d5064dce70570c27ff545d48e5077472174b18df84d044c3946168154e', 'hex');
    expect(compressHash(sha, 20).toString('hex')).toBe('f36b8d51d6090de4366432b1545d48e507747217');
  });
});
