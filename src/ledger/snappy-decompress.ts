/**
 * Snappy's raw block format, decompression only: what LevelDB's tables
 * hold when a block was compressed, needed to walk an index or metaindex
 * block's entries. A varint32 of the uncompressed length, then elements
 * each opened by a tag byte whose low two bits say literal (0) or a copy
 * with a 1-, 2- or 4-byte offset. Input is untrusted: every length and
 * offset is checked, and a malformed block is null, never a throw.
 */

/** The uncompressed bytes of `input`, or null when it is not a well-formed snappy block. */
export function snappyDecompress(input: Uint8Array): Uint8Array | null {
  let at = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (at >= input.length || shift > 28) return null;
    const byte = input[at++] as number;
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  const output = new Uint8Array(length);
  let out = 0;
  while (at < input.length) {
    const tag = input[at++] as number;
    const kind = tag & 3;
    if (kind === 0) {
      let size = tag >>> 2;
      if (size >= 60) {
        const bytes = size - 59;
        if (at + bytes > input.length) return null;
        size = 0;
        for (let n = 0; n < bytes; n++) size += (input[at + n] as number) * 2 ** (8 * n);
        at += bytes;
      }
      size += 1;
      if (at + size > input.length || out + size > length) return null;
      output.set(input.subarray(at, at + size), out);
      at += size;
      out += size;
      continue;
    }
    let size: number;
    let offset: number;
    if (kind === 1) {
      if (at + 1 > input.length) return null;
      size = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | (input[at] as number);
      at += 1;
    } else {
      const bytes = kind === 2 ? 2 : 4;
      if (at + bytes > input.length) return null;
      size = (tag >>> 2) + 1;
      offset = 0;
      for (let n = 0; n < bytes; n++) offset += (input[at + n] as number) * 2 ** (8 * n);
      at += bytes;
    }
    if (offset === 0 || offset > out || out + size > length) return null;
    // Byte by byte: a copy may overlap what it writes (a run).
    for (let n = 0; n < size; n++, out++) output[out] = output[out - offset] as number;
  }
  return out === length ? output : null;
}
