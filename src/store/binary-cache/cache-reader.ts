/**
 * Reading a `file://` binary cache (spec 11). The cache is untrusted input:
 * every narinfo is parsed strictly and must describe the path it is filed
 * under, files are size-capped before they are read, NAR URLs are resolved
 * only inside the cache directory, and a NAR stream checks what it can see
 * itself — the compressed file against FileSize/FileHash, the decompressed
 * bytes against NarSize as an upper bound (so a decompression bomb stops
 * early). NarHash is left to the consumer, which hashes what it keeps.
 */
import { closeSync, createReadStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { integrityError, refused, usageError } from '../../errors.js';
import { openRegularFile, readBoundedFile } from '../../fsx/read-bounded-file.js';
import { fileSystemError } from '../file-system-error.js';
import { Hash } from '../hash.js';
import type { StoreDir } from '../store-path.js';
import { decompress } from './nar-compression.js';
import { NIX_CACHE_INFO, parseNixCacheInfo } from './nix-cache-info.js';
import type { NixCacheInfo } from './nix-cache-info.js';
import { narInfoFileName, parseNarInfo } from './narinfo.js';
import type { NarInfo } from './narinfo.js';

const MAX_CACHE_INFO_BYTES = 64 * 1024;
const MAX_NARINFO_BYTES = 1024 * 1024;

/** The directory a cache URL names: `file:///abs/dir` or a plain absolute directory. */
export function cacheDirectoryOf(url: string): string {
  const hint = "name a local cache as 'file:///absolute/dir' or '/absolute/dir'";
  if (url.startsWith('file:')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw usageError('GENLEDGER_BAD_CACHE_URL', `'${url}' is not a valid URL`, hint);
    }
    if (parsed.host !== '' || parsed.search !== '' || parsed.hash !== '') {
      throw usageError('GENLEDGER_BAD_CACHE_URL', `cache URL '${url}' has a host, parameters or a fragment, which genledger does not support`, hint);
    }
    return resolve(fileURLToPath(parsed));
  }
  if (url.startsWith('/')) return resolve(url);
  throw usageError('GENLEDGER_BAD_CACHE_URL', `'${url}' is not a local binary cache`, hint);
}

export async function openBinaryCache(url: string, storeDir: StoreDir): Promise<BinaryCache> {
  const dir = cacheDirectoryOf(url);
  const text = readCapped(join(dir, NIX_CACHE_INFO), MAX_CACHE_INFO_BYTES, url);
  if (text === null) {
    throw refused('GENLEDGER_CACHE_NOT_FOUND', `${url} is not a binary cache: it has no ${NIX_CACHE_INFO}`, 'check the path, or write a cache there with genledger export --with-store');
  }
  return new BinaryCache(url, dir, storeDir, parseNixCacheInfo(text, storeDir, url));
}

export class BinaryCache {
  constructor(
    readonly url: string,
    readonly dir: string,
    readonly storeDir: StoreDir,
    readonly info: NixCacheInfo,
  ) {}

  /** The cache's narinfo for `storePath`, or null when the cache does not have the path. */
  async narInfo(storePath: string): Promise<NarInfo | null> {
    const fileName = narInfoFileName(this.storeDir, storePath);
    const whence = `${fileName} in ${this.url}`;
    const text = readCapped(join(this.dir, fileName), MAX_NARINFO_BYTES, whence);
    if (text === null) return null;
    const info = parseNarInfo(text, this.storeDir, whence);
    if (info.storePath !== storePath) {
      throw refused('GENLEDGER_BAD_NARINFO', `narinfo ${whence} describes '${info.storePath}', not '${storePath}'`, 'the binary cache is damaged or untrustworthy');
    }
    return info;
  }

  /**
   * The decompressed NAR of `info`, chunk by chunk. Throws (at the point it
   * is detected) when the file is missing, its size or hash differs from
   * FileSize/FileHash, or it decompresses to more than NarSize bytes.
   */
  async *narStream(info: NarInfo): AsyncGenerator<Buffer> {
    const file = join(this.dir, info.url);
    const whence = `NAR '${info.url}' of '${info.storePath}' in ${this.url}`;
    const mismatch = (what: string) => integrityError('GENLEDGER_NAR_HASH_MISMATCH', `${whence} ${what}`, 'the binary cache is damaged or was tampered with');
    const opened = openNar(file, whence);
    if (opened === null) throw integrityError('GENLEDGER_SUBSTITUTE_FAILED', `${whence} is missing`, 'the binary cache is incomplete; rewrite it');
    const { fd, size } = opened;
    if (info.fileSize !== undefined && size !== info.fileSize) {
      closeSync(fd);
      throw mismatch(`has ${size} bytes, but its narinfo says FileSize ${info.fileSize}`);
    }
    const fileHash = Hash.incremental(info.fileHash?.algo ?? 'sha256');
    const compressed = Readable.from(tapped(createReadStream(file, { fd, end: Math.max(size - 1, 0) }), (chunk) => fileHash.update(chunk)));
    let narSize = 0;
    try {
      for await (const chunk of decompress(info.compression, compressed, whence)) {
        narSize += chunk.length;
        if (narSize > info.narSize) throw mismatch(`is larger than its NarSize ${info.narSize}`);
        yield chunk;
      }
    } catch (error) {
      throw fileSystemError(error, file);
    }
    if (info.fileHash !== undefined && !fileHash.digest().equals(info.fileHash)) throw mismatch(`does not match its FileHash ${info.fileHash.toTyped('nix32')}`);
  }
}

function openNar(file: string, whence: string): { fd: number; size: number } | null {
  try {
    return openRegularFile(file, (problem) => integrityError('GENLEDGER_SUBSTITUTE_FAILED', `${whence} ${problem}`, 'the binary cache is damaged or was tampered with'));
  } catch (error) {
    throw fileSystemError(error, file);
  }
}

async function* tapped(source: AsyncIterable<Buffer>, tap: (chunk: Buffer) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    tap(chunk);
    yield chunk;
  }
}

/** The text of a small regular file, or null if there is none; anything else, or larger than `max` bytes, is refused. */
function readCapped(path: string, max: number, whence: string): string | null {
  try {
    return readBoundedFile(path, { max, refuse: (problem) => refused('GENLEDGER_BAD_NARINFO', `${whence} ${problem}`, 'the binary cache is damaged or untrustworthy') })?.toString('utf8') ?? null;
  } catch (error) {
    throw fileSystemError(error, path);
  }
}
