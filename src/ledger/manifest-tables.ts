/**
 * The tables a LevelDB manifest names as live, read from its bytes. The
 * manifest is a LevelDB log (32 KiB blocks of records, each with a 7-byte
 * header: masked CRC32C, length, type FULL/FIRST/MIDDLE/LAST) whose
 * records are version edits: tagged fields, among them the tables added
 * (tag 7: level, number, size, smallest and largest key) and deleted
 * (tag 6: level, number).
 *
 * Only the live tables are LevelDB's to read: a table the manifest does
 * not name (left half-written by a crash during a compaction) is deleted
 * when the database opens, never read, so it is no damage. A record cut
 * short at the end (a writer that died appending it) ends the manifest,
 * as it does for LevelDB. Pure: returns
 * null when the manifest itself does not parse, and the caller decides
 * what that means.
 */
import { ByteReader, MalformedBytes } from './byte-reader.js';
import { crc32c, maskCrc } from './crc32c.js';

const blockSize = 32768;
const headerLength = 7;
const recordFull = 1;
const recordFirst = 2;
const recordMiddle = 3;
const recordLast = 4;

/** Live table number → its size in bytes, or null when `manifest` does not parse. */
export function manifestTables(manifest: Uint8Array): Map<number, number> | null {
  try {
    const live = new Map<number, number>();
    for (const edit of logRecords(manifest)) applyEdit(edit, live);
    return live;
  } catch (error) {
    if (error instanceof MalformedBytes) return null;
    throw error;
  }
}

function logRecords(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let pending: Uint8Array[] | null = null;
  let at = 0;
  while (at < bytes.length) {
    const left = blockSize - (at % blockSize);
    if (left < headerLength) {
      at += left;
      continue;
    }
    // A record cut short at the end is a writer that died appending it: LevelDB reads the manifest as ending before it.
    if (at + headerLength > bytes.length) break;
    const length = view.getUint16(at + 4, true);
    const type = bytes[at + 6] as number;
    const end = at + headerLength + length;
    if (end > bytes.length) break;
    if (length > left - headerLength) throw new MalformedBytes('manifest has a record running past its block');
    if (view.getUint32(at, true) !== maskCrc(crc32c(bytes, at + 6, end))) throw new MalformedBytes('manifest has a record failing its checksum');
    const data = bytes.subarray(at + headerLength, end);
    at = end;
    if (type === recordFull && pending === null) records.push(data);
    else if (type === recordFirst && pending === null) pending = [data];
    else if (type === recordMiddle && pending !== null) pending.push(data);
    else if (type === recordLast && pending !== null) {
      records.push(Buffer.concat([...pending, data]));
      pending = null;
    } else throw new MalformedBytes('manifest has a record out of sequence');
  }
  return records;
}

function applyEdit(edit: Uint8Array, live: Map<number, number>): void {
  const reader = new ByteReader(edit, 0, edit.length, 'manifest');
  while (!reader.done()) {
    const tag = reader.varint();
    switch (tag) {
      case 1:
        reader.skipSlice();
        break;
      case 2:
      case 3:
      case 4:
      case 9:
        reader.varint();
        break;
      case 5:
        reader.varint();
        reader.skipSlice();
        break;
      case 6:
        reader.varint();
        live.delete(reader.varint());
        break;
      case 7: {
        reader.varint();
        const number = reader.varint();
        live.set(number, reader.varint());
        reader.skipSlice();
        reader.skipSlice();
        break;
      }
      default:
        throw new MalformedBytes(`manifest has an unknown field ${tag}`);
    }
  }
}
