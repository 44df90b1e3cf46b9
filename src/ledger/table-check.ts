/**
 * Checks a LevelDB table file (`.ldb`) against its own checksums before
 * LevelDB reads it. LevelDB opens a database by compacting, and reads the
 * tables it compacts without verifying block checksums (paranoid checks
 * are off, and classic-level does not expose them): a flipped byte then
 * reaches an assertion in the native library, which aborts the process
 * (SIGABRT), beyond anything JavaScript can catch.
 *
 * The format (LevelDB's doc/table_format.md): the file ends in a 48-byte
 * footer holding the metaindex and index BlockHandles (varint64 offset
 * and size each) and the magic 0xdb4775248b80fb57 (little-endian). Every
 * block is followed by a 5-byte trailer: its compression type (0 none,
 * 1 snappy) and the masked CRC32C of the block's stored bytes plus that
 * type byte. A block's entries (shared and non-shared key lengths, value
 * length, key suffix, value) end in a restart array and its count. The
 * index block's values are the handles of the data blocks, the
 * metaindex's those of the meta blocks (the bloom filter).
 *
 * Pure: it judges bytes, never reads a file. Any structure that does not
 * parse, any handle outside the file, any checksum mismatch is damage.
 */
import { crc32c, maskCrc } from './crc32c.js';
import { ByteReader, MalformedBytes } from './byte-reader.js';
import type { BlockHandle } from './byte-reader.js';
import { snappyDecompress } from './snappy-decompress.js';

const footerLength = 48;
const trailerLength = 5;
const magicLow = 0x8b80fb57;
const magicHigh = 0xdb477524;

/** What is wrong with the table `bytes`, in a few words ("block at 4096 fails its checksum"), or null when it is sound. */
export function tableProblem(bytes: Uint8Array): string | null {
  try {
    checkTable(bytes);
    return null;
  } catch (error) {
    if (error instanceof MalformedBytes) return error.message;
    throw error;
  }
}

function checkTable(bytes: Uint8Array): void {
  if (bytes.length < footerLength) throw new MalformedBytes(`shorter than a table footer (${bytes.length} bytes)`);
  const footer = bytes.length - footerLength;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(bytes.length - 8, true) !== magicLow || view.getUint32(bytes.length - 4, true) !== magicHigh) {
    throw new MalformedBytes('no table magic number in its footer');
  }
  const reader = new ByteReader(bytes, footer, bytes.length - 8, 'footer');
  const metaindex = reader.handle();
  const index = reader.handle();
  for (const handle of [...blockValues(bytes, footer, index, 'index block'), ...blockValues(bytes, footer, metaindex, 'metaindex block')]) {
    blockContents(bytes, footer, handle, 'block');
  }
}

/** The handles an index or metaindex block holds, after checking the block itself. */
function blockValues(bytes: Uint8Array, footer: number, handle: BlockHandle, what: string): BlockHandle[] {
  const contents = blockContents(bytes, footer, handle, what);
  if (contents.length < 4) throw new MalformedBytes(`${what} is too short`);
  const view = new DataView(contents.buffer, contents.byteOffset, contents.byteLength);
  const restarts = view.getUint32(contents.length - 4, true);
  const restartsAt = contents.length - 4 - 4 * restarts;
  if (restarts < 1 || restartsAt < 0) throw new MalformedBytes(`${what} has a bad restart array`);
  for (let n = 0; n < restarts; n++) {
    if (view.getUint32(restartsAt + 4 * n, true) >= Math.max(1, restartsAt)) throw new MalformedBytes(`${what} has a restart point outside its entries`);
  }
  const reader = new ByteReader(contents, 0, restartsAt, what);
  const handles: BlockHandle[] = [];
  let keyLength = 0;
  while (!reader.done()) {
    const shared = reader.varint();
    const unshared = reader.varint();
    const valueLength = reader.varint();
    if (shared > keyLength) throw new MalformedBytes(`${what} has an entry sharing more key than the previous one had`);
    keyLength = shared + unshared;
    reader.skip(unshared);
    const value = new ByteReader(contents, reader.at, reader.at + valueLength, what);
    reader.skip(valueLength);
    handles.push(value.handle());
  }
  return handles;
}

/** The block `handle` names, after checking it lies in the file, its type and its checksum; decompressed when snappy. */
function blockContents(bytes: Uint8Array, footer: number, handle: BlockHandle, what: string): Uint8Array {
  const end = handle.offset + handle.size;
  if (end + trailerLength > footer) throw new MalformedBytes(`${what} at ${handle.offset} lies outside the file`);
  const type = bytes[end] as number;
  const stored = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(end + 1, true);
  if (stored !== maskCrc(crc32c(bytes, handle.offset, end + 1))) throw new MalformedBytes(`${what} at ${handle.offset} fails its checksum`);
  const contents = bytes.subarray(handle.offset, end);
  if (type === 0) return contents;
  if (type !== 1) throw new MalformedBytes(`${what} at ${handle.offset} has an unknown compression type ${type}`);
  const plain = snappyDecompress(contents);
  if (plain === null) throw new MalformedBytes(`${what} at ${handle.offset} does not decompress`);
  return plain;
}
