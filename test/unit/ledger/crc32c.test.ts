import { describe, expect, it } from 'vitest';
import { crc32c, maskCrc } from '../../../src/ledger/crc32c.js';

describe('crc32c', () => {
  it('gives the standard check value for "123456789"', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('gives the known values for 32 zero bytes and 32 0xff bytes (RFC 3720)', () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
  });

  it('covers only the range it is given', () => {
    expect(crc32c(Buffer.from('xx123456789yy'), 2, 11)).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('masks as LevelDB does: rotated right by 15, plus 0xa282ead8', () => {
    expect(maskCrc(0)).toBe(0xa282ead8);
    expect(maskCrc(0xe3069283)).toBe(((((0xe3069283 >>> 15) | (0xe3069283 << 17)) >>> 0) + 0xa282ead8) % 2 ** 32);
    expect(maskCrc(0xffffffff)).toBe((0xffffffff + 0xa282ead8) % 2 ** 32);
  });
});
