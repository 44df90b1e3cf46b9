/**
 * Hash compression by XOR folding: byte i of the input is XORed into byte
 * `i mod size` of the output. Nix folds a sha256 to 20 bytes (160 bits) to
 * make the 32-character hash part of a store path.
 */

export function compressHash(bytes: Uint8Array, size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < bytes.length; i++) {
    const at = i % size;
    out[at] = (out[at] ?? 0) ^ (bytes[i] ?? 0);
  }
  return out;
}
