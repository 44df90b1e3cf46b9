import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeNix32, encodeNix32, nix32Length } from '../../../src/store/nix-base32.js';
import { seededRandom } from './helpers.js';

describe('nix32', () => {
  it('encodes the examples of spec 1.3', () => {
    expect(encodeNix32(Buffer.from([0x01]))).toBe('01');
    expect(encodeNix32(Buffer.from([0xff]))).toBe('7z');
    expect(encodeNix32(createHash('sha256').update('').digest())).toBe(
      '0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73',
    );
  });

  it('has the lengths Nix uses for each digest size', () => {
    expect([16, 20, 32, 64].map(nix32Length)).toEqual([26, 32, 52, 103]);
    expect(encodeNix32(new Uint8Array(0))).toBe('');
  });

  it('decodes what it encodes, for random byte strings of every digest size', () => {
    const random = seededRandom(32);
    for (const size of [1, 2, 5, 16, 20, 32, 64]) {
      for (let round = 0; round < 20; round++) {
        const bytes = Buffer.from(Array.from({ length: size }, () => Math.floor(random() * 256)));
        expect(decodeNix32(encodeNix32(bytes), size)).toEqual(bytes);
      }
    }
  });

  it('refuses characters outside the alphabet (e, o, u, t, upper case)', () => {
    const valid = '0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73';
    for (const bad of ['e', 'o', 'u', 't', 'A', '-']) {
      const text = bad + valid.slice(1);
      expect(() => decodeNix32(text, 32)).toThrow(expect.objectContaining({ code: 'GENLEDGER_BAD_HASH', exitCode: 1 }));
    }
  });

  it('refuses set bits above the last byte, so each digest has one text', () => {
    expect(decodeNix32('7z', 1)).toEqual(Buffer.from([0xff]));
    expect(() => decodeNix32('8z', 1)).toThrow(/encodes more than 1 bytes/);
    expect(() => decodeNix32('zz', 1)).toThrow(expect.objectContaining({ code: 'GENLEDGER_BAD_HASH' }));
  });

  it('refuses a string of the wrong length for the byte count', () => {
    expect(() => decodeNix32('01', 2)).toThrow(expect.objectContaining({ code: 'GENLEDGER_BAD_HASH' }));
  });
});
