/**
 * CRC32C (Castagnoli, reflected polynomial 0x82f63b78), table-driven, and
 * LevelDB's masked form of it. LevelDB stores masked CRCs because a CRC
 * computed over bytes that themselves hold CRCs is weak; the mask (a
 * rotation plus a constant) is what every table block trailer and log
 * record header carries.
 */

const table = buildTable();

function buildTable(): Uint32Array {
  const entries = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let crc = n;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
    entries[n] = crc >>> 0;
  }
  return entries;
}

/** The CRC32C of `bytes[start, end)`. */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff;
  for (let at = start; at < end; at++) crc = (table[(crc ^ (bytes[at] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** LevelDB's mask of a CRC: rotated right by 15 bits, plus a constant (util/crc32c.h). */
export function maskCrc(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}
