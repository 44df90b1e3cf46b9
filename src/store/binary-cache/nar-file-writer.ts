/**
 * Writing one store path's NAR file into a binary cache: the NAR is streamed
 * from the store straight into a temporary file (hashed on the way, so the
 * store's record is checked against what is actually exported), compressed
 * by `xz` if asked, then renamed to `nar/<nix32 of FileHash>.nar[.xz]`.
 * Temporary files are removed whatever happens.
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { integrityError } from '../../errors.js';
import type { Hash } from '../hash.js';
import { digestNar } from '../nar-digest.js';
import { dumpPath } from '../nar-writer.js';
import type { PathInfo } from '../path-info.js';
import type { CacheFiles } from './cache-files.js';
import { hashFile } from './file-chunks.js';
import { xzCompressFile } from './nar-compression.js';
import type { WriteCompression } from './nar-compression.js';
import { narUrl } from './nar-url.js';

export interface WrittenNar {
  readonly url: string;
  readonly fileHash: Hash;
  readonly fileSize: number;
}

/** Writes the NAR of `info.path`, read from `physicalPath`, into the cache. */
export async function writeNarFile(files: CacheFiles, info: PathInfo, physicalPath: string, compression: WriteCompression): Promise<WrittenNar> {
  const narTemp = files.tempFor(`nar/${info.narHash.toNix32()}.nar`);
  try {
    const digest = dumpToFile(physicalPath, narTemp);
    if (!digest.narHash.equals(info.narHash) || digest.narSize !== info.narSize) {
      throw integrityError(
        'GENLEDGER_STORE_PATH_CORRUPT',
        `path '${info.path}' was modified in the store: its NAR hash is ${digest.narHash.toTyped('nix32')}, but its record says ${info.narHash.toTyped('nix32')}`,
        'run genledger store verify --contents; nothing was exported for this path',
      );
    }
    if (compression === 'none') {
      const url = narUrl(digest.narHash, 'none');
      files.commit(narTemp, url);
      return { url, fileHash: digest.narHash, fileSize: digest.narSize };
    }
    return await compressInto(files, narTemp, info);
  } finally {
    rmSync(narTemp, { force: true });
  }
}

async function compressInto(files: CacheFiles, narTemp: string, info: PathInfo): Promise<WrittenNar> {
  const xzTemp = files.tempFor(`nar/${info.narHash.toNix32()}.nar.xz`);
  try {
    await xzCompressFile(narTemp, xzTemp);
    const { hash: fileHash, size: fileSize } = hashFile('sha256', xzTemp);
    const url = narUrl(fileHash, 'xz');
    files.commit(xzTemp, url);
    return { url, fileHash, fileSize };
  } finally {
    rmSync(xzTemp, { force: true });
  }
}

function dumpToFile(physicalPath: string, file: string) {
  const fd = openSync(file, 'wx', 0o644);
  try {
    return digestNar(
      (sink) => dumpPath(physicalPath, sink),
      (chunk) => {
        for (let written = 0; written < chunk.length; ) written += writeSync(fd, chunk, written, chunk.length - written);
      },
    );
  } finally {
    closeSync(fd);
  }
}
