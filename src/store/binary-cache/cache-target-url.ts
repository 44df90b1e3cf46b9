/**
 * The `--cache URL` of an upload: `file:///DIR` (an absolute directory) or
 * `s3://BUCKET[?endpoint=URL&region=NAME]`, the form Nix itself accepts for
 * S3 caches. Any other scheme or parameter is a usage error: an HTTP cache
 * is read-only, and a parameter silently ignored could send the cache to
 * the wrong place.
 */
import { usageError } from '../../errors.js';

export type CacheTargetUrl =
  | { readonly kind: 'file'; readonly url: string; readonly dir: string }
  | { readonly kind: 's3'; readonly url: string; readonly bucket: string; readonly endpoint?: string; readonly region?: string };

const S3_PARAMETERS = new Set(['endpoint', 'region']);

export function parseCacheTargetUrl(text: string): CacheTargetUrl {
  const bad = (why: string) => usageError('GENLEDGER_CACHE_BAD_URL', `cannot use '${text}' as a binary cache to upload to: ${why}`, 'give file:///ABSOLUTE/DIR or s3://BUCKET?endpoint=URL&region=NAME');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad('it is not a URL');
  }
  if (url.protocol === 'file:') {
    if (url.host !== '' || url.search !== '' || url.hash !== '') throw bad('a file URL names only an absolute directory');
    const dir = decodeURIComponent(url.pathname).replace(/\/+$/, '');
    if (dir === '') throw bad('the directory is the root directory');
    return { kind: 'file', url: text, dir };
  }
  if (url.protocol === 's3:') {
    if (url.hostname === '' || (url.pathname !== '' && url.pathname !== '/') || url.username !== '' || url.hash !== '') throw bad('an S3 URL names a bucket and nothing else before its parameters');
    for (const name of url.searchParams.keys()) if (!S3_PARAMETERS.has(name)) throw bad(`unknown parameter '${name}' (known: endpoint, region)`);
    const endpoint = url.searchParams.get('endpoint') ?? undefined;
    if (endpoint !== undefined && !/^https?:\/\/[^/?#]+\/?$/.test(endpoint)) throw bad(`endpoint '${endpoint}' is not http(s)://HOST[:PORT]`);
    const region = url.searchParams.get('region') ?? undefined;
    return { kind: 's3', url: text, bucket: url.hostname, ...(endpoint === undefined ? {} : { endpoint }), ...(region === undefined ? {} : { region }) };
  }
  throw bad(`genledger uploads to file:// and s3:// caches, not ${url.protocol}//`);
}
