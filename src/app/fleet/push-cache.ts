/**
 * `fleet push --cache URL`: uploads the closure of every live generation
 * of this home to a binary cache laid out as Nix's, every narinfo signed
 * with the given key. Dependencies go first and each NAR before its
 * narinfo, so the cache holds closures at every moment and a push cut off
 * anywhere is finished by running it again. A path whose narinfo is there
 * is not uploaded again; a NAR already there (a push cut off between NAR
 * and narinfo) is not sent again either.
 *
 * A narinfo already in the cache with another NAR hash than this store's
 * (an input-addressed path built elsewhere, not bit for bit the same) is
 * kept, with a warning: it is as valid a build of that path, clients may
 * have fetched it already, and Nix's own `nix copy` keeps what is there.
 * Live paths that are not valid here (collected, or never fetched) are
 * reported and skipped.
 */
import type { SecretKey } from '../../ledger/nix-key.js';
import type { CacheTarget } from '../../store/binary-cache/cache-target.js';
import { narInfoFor } from '../../store/binary-cache/cache-writer.js';
import { narInfoFileName, parseNarInfo, renderNarInfo } from '../../store/binary-cache/narinfo.js';
import { narUrl } from '../../store/binary-cache/nar-url.js';
import { NIX_CACHE_INFO, parseNixCacheInfo, renderNixCacheInfo } from '../../store/binary-cache/nix-cache-info.js';
import type { PathInfo } from '../../store/path-info.js';
import type { Store } from '../../store/store.js';
import type { Session } from '../session/session-context.js';
import { liveStorePaths } from './live-store-paths.js';

/** What the cache announces: mass queries welcome, and below cache.nixos.org (40) in preference. */
const SERVING = { wantMassQuery: true, priority: 41 };

export interface PushCacheResult {
  readonly cache: string;
  /** Paths whose narinfo this push wrote. */
  readonly uploaded: number;
  /** NAR files this push sent (fewer than `uploaded` when an earlier push had sent some). */
  readonly narsUploaded: number;
  /** Paths the cache held already. */
  readonly skipped: number;
  /** Paths the cache holds with another NAR hash, kept as they are. */
  readonly conflicts: readonly { readonly path: string; readonly cacheNarHash: string; readonly narHash: string }[];
  /** Live paths not valid in this store, left out. */
  readonly missing: readonly string[];
}

export interface PushCacheOptions {
  readonly target: CacheTarget;
  readonly secretKey: SecretKey;
  readonly warn: (message: string) => void;
}

export async function pushCache(session: Session, options: PushCacheOptions): Promise<PushCacheResult> {
  const { store } = session;
  const { target } = options;
  const live = await liveStorePaths(session);
  const present: string[] = [];
  const missing: string[] = [];
  for (const path of live) ((await store.isValid(path)) ? present : missing).push(path);
  const paths = await store.closure(present);
  await prepareCacheInfo(target, store);
  let uploaded = 0;
  let narsUploaded = 0;
  let skipped = 0;
  const conflicts: Array<PushCacheResult['conflicts'][number]> = [];
  for (const [index, path] of paths.entries()) {
    const info = await store.requireInfo(path);
    const narInfoFile = narInfoFileName(store.storeDir, path);
    const existing = await target.readText(narInfoFile);
    if (existing !== null) {
      skipped += 1;
      const cached = parseNarInfo(existing, store.storeDir, `${target.url}/${narInfoFile}`);
      if (!cached.narHash.equals(info.narHash)) {
        conflicts.push({ path, cacheNarHash: cached.narHash.toTyped('nix32'), narHash: info.narHash.toTyped('nix32') });
        options.warn(`the cache holds '${path}' with NAR hash ${cached.narHash.toTyped('nix32')}, this store ${info.narHash.toTyped('nix32')}; the cache's copy is kept`);
      }
    } else {
      if (await uploadPath(target, store, info, options.secretKey)) narsUploaded += 1;
      uploaded += 1;
    }
    session.progress.step('uploading to the binary cache', index + 1, paths.length);
  }
  return { cache: target.url, uploaded, narsUploaded, skipped, conflicts, missing };
}

async function prepareCacheInfo(target: CacheTarget, store: Store): Promise<void> {
  const text = await target.readText(NIX_CACHE_INFO);
  if (text === null) await target.putText(NIX_CACHE_INFO, renderNixCacheInfo(store.storeDir, SERVING), 'text/x-nix-cache-info');
  else parseNixCacheInfo(text, store.storeDir, target.url);
}

/** Uploads the NAR (unless it is there) and then the narinfo; whether the NAR was sent. */
async function uploadPath(target: CacheTarget, store: Store, info: PathInfo, secretKey: SecretKey): Promise<boolean> {
  // Uncompressed, the NAR file is the NAR: its name and hash are known before it is written.
  const url = narUrl(info.narHash, 'none');
  const sent = !(await target.has(url));
  const nar = sent ? await target.putNar(info, store.location.physical(info.path)) : { url, fileHash: info.narHash, fileSize: info.narSize };
  await target.putText(narInfoFileName(store.storeDir, info.path), renderNarInfo(narInfoFor(info, nar, 'none', secretKey)), 'text/x-nix-narinfo');
  return sent;
}
