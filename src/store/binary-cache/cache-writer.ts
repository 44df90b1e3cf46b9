/**
 * Writing store paths into a `file://` binary cache that real Nix reads
 * (`nix copy --from file://…`, spec 11). The layout is Nix's: a
 * `nix-cache-info` (created when missing, checked when present), `nar/`,
 * and the empty `log/` and `realisations/` Nix creates. Each path's NAR is
 * written before its narinfo, so a narinfo never points at a missing file,
 * and a path is written only after its references, as a cache must always
 * hold closures. A path whose narinfo is already there is skipped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { refused } from '../../errors.js';
import type { SecretKey } from '../../ledger/nix-key.js';
import type { Store } from '../store.js';
import type { PathInfo } from '../path-info.js';
import { CacheFiles } from './cache-files.js';
import { signPathInfo } from './fingerprint.js';
import type { WriteCompression } from './nar-compression.js';
import { writeNarFile } from './nar-file-writer.js';
import type { WrittenNar } from './nar-file-writer.js';
import { narInfoFileName, renderNarInfo } from './narinfo.js';
import type { NarInfo } from './narinfo.js';
import { NIX_CACHE_INFO, parseNixCacheInfo, renderNixCacheInfo } from './nix-cache-info.js';

export interface WriteCacheOptions {
  readonly store: Store;
  /** A closure, dependencies first (as `store.closure` gives it). */
  readonly paths: readonly string[];
  readonly dir: string;
  /** Signs every narinfo written (`Sig:`). */
  readonly secretKey?: SecretKey;
  /** `none` (the default: byte-reproducible NAR files) or `xz`. */
  readonly compression?: WriteCompression;
  /** For temporary file names; the process id by default. */
  readonly pid?: number;
  /** Hears each path once its narinfo is in place; failing (a stop signal) ends the writing there, every path written so far whole. */
  readonly onProgress?: (event: CacheWriteProgress) => void | Promise<void>;
}

export interface CacheWriteProgress {
  readonly path: string;
  readonly action: 'written' | 'skipped';
  readonly done: number;
  readonly total: number;
}

export interface WriteCacheResult {
  readonly written: string[];
  /** Already in the cache. */
  readonly skipped: string[];
}

export async function writeBinaryCache(options: WriteCacheOptions): Promise<WriteCacheResult> {
  const { store } = options;
  const paths = [...new Set(options.paths)];
  const files = new CacheFiles(options.dir, options.pid ?? process.pid);
  prepareLayout(files, store);
  const written: string[] = [];
  const skipped: string[] = [];
  for (const path of paths) {
    const present = files.has(narInfoFileName(store.storeDir, path));
    if (present) {
      skipped.push(path);
    } else {
      await writePath(files, store, await store.requireInfo(path), options);
      written.push(path);
    }
    await options.onProgress?.({ path, action: present ? 'skipped' : 'written', done: written.length + skipped.length, total: paths.length });
  }
  return { written, skipped };
}

function prepareLayout(files: CacheFiles, store: Store): void {
  for (const dir of ['nar', 'log', 'realisations']) files.mkdir(dir);
  if (files.has(NIX_CACHE_INFO)) parseNixCacheInfo(readFileSync(join(files.dir, NIX_CACHE_INFO), 'utf8'), store.storeDir, files.dir);
  else files.writeText(NIX_CACHE_INFO, renderNixCacheInfo(store.storeDir));
}

async function writePath(files: CacheFiles, store: Store, info: PathInfo, options: WriteCacheOptions): Promise<void> {
  for (const reference of info.references) {
    if (reference === info.path || files.has(narInfoFileName(store.storeDir, reference))) continue;
    throw refused(
      'GENLEDGER_CACHE_MISSING_REFERENCE',
      `cannot write '${info.path}' to the binary cache ${files.dir}: its reference '${reference}' is not in the cache yet`,
      "write the path's whole closure, dependencies first",
    );
  }
  const compression = options.compression ?? 'none';
  const nar = await writeNarFile(files, info, store.location.physical(info.path), compression);
  const narInfo = narInfoFor(info, nar, compression, options.secretKey);
  files.writeText(narInfoFileName(store.storeDir, info.path), renderNarInfo(narInfo));
}

/** The narinfo of a path whose NAR file was written as `nar`, signed when a key is given. */
export function narInfoFor(info: PathInfo, nar: WrittenNar, compression: WriteCompression, secretKey: SecretKey | undefined): NarInfo {
  return {
    storePath: info.path,
    url: nar.url,
    compression,
    fileHash: nar.fileHash,
    fileSize: nar.fileSize,
    narHash: info.narHash,
    narSize: info.narSize,
    references: info.references,
    ...(info.deriver === undefined ? {} : { deriver: info.deriver }),
    sigs: secretKey === undefined ? [] : [signPathInfo(info, secretKey)],
    ...(info.ca === null ? {} : { ca: info.ca }),
  };
}
