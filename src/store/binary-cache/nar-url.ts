/**
 * Where a NAR lives inside a binary cache (spec 11.1, 11.3): the writer
 * names it `nar/<nix32 of FileHash>.nar<ext>`; a reader accepts any URL
 * that stays inside the cache, i.e. a relative path of plain components.
 * A narinfo comes from an untrusted cache, so its URL must not be able to
 * name a file elsewhere (`/etc/…`, `../…`) or another scheme (`https:`).
 */
import type { Hash } from '../hash.js';

/** Compression method → file extension, as Nix 2.8's `addToStoreCommon`; none and gzip add nothing. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  none: '',
  gzip: '',
  xz: '.xz',
  bzip2: '.bz2',
  zstd: '.zst',
  lzip: '.lzip',
  lz4: '.lz4',
  br: '.br',
};

export function narUrl(fileHash: Hash, compression: string): string {
  return `nar/${fileHash.toNix32()}.nar${EXTENSIONS[compression] ?? ''}`;
}

/** Why `url` may not be followed inside a cache, or undefined when it is a safe relative path. */
export function narUrlProblem(url: string): string | undefined {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) return `URL '${url}' is absolute, not a path inside the cache`;
  if (url.startsWith('/')) return `URL '${url}' is an absolute path, not a path inside the cache`;
  // Control characters and backslashes have no place in a cache file name and confuse logs and shells.
  if (/[\u0000-\u001f\u007f\\]/.test(url)) return `URL ${JSON.stringify(url)} contains a control character or a backslash`;
  if (url.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    return `URL '${url}' has an empty, '.' or '..' component`;
  }
  return undefined;
}
