/**
 * Opens the upload target a `--cache URL` names; the S3 adapter (and with
 * it the AWS SDK) is loaded only for an s3:// URL.
 */
import type { CacheTarget } from './cache-target.js';
import type { CacheTargetUrl } from './cache-target-url.js';
import { fileCacheTarget } from './file-cache-target.js';

export async function openCacheTarget(url: CacheTargetUrl, pid: number): Promise<CacheTarget> {
  if (url.kind === 'file') return fileCacheTarget(url.url, url.dir, pid);
  const { s3CacheTarget } = await import('./s3-cache-target.js');
  return s3CacheTarget(url, pid);
}
