/**
 * An S3 bucket as an upload target, through the AWS SDK's S3 client, so
 * the same code serves a managed bucket and an S3-compatible server
 * (`endpoint=`, addressed path-style: http://HOST/BUCKET/KEY). Credentials
 * and, without `region=`, the region come from wherever the SDK looks
 * (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws/…).
 *
 * The SDK is large, so this module loads it only when an s3:// cache is
 * used. A NAR is first written to a local temporary file (hashed and
 * checked against the store's record, as for a file:// cache) and then
 * sent in one PUT, so the bucket never holds a partial object. The SDK's
 * failures become one GenledgerError line, never its stack.
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGenledgerError, refused } from '../../errors.js';
import type { PathInfo } from '../path-info.js';
import { CacheFiles } from './cache-files.js';
import type { CacheTarget } from './cache-target.js';
import { writeNarFile } from './nar-file-writer.js';

export interface S3Location {
  readonly url: string;
  readonly bucket: string;
  readonly endpoint?: string;
  readonly region?: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'TimeoutError']);

export async function s3CacheTarget(location: S3Location, pid: number): Promise<CacheTarget> {
  // The SDK warns on every start under Node 20 about its future Node 22 floor; that is noise in a CLI's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    ...(location.endpoint === undefined ? {} : { endpoint: location.endpoint, forcePathStyle: true }),
    region: location.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    // Checksums only where S3 requires them: S3-compatible servers do not all know the newer checksum headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 2,
  });
  const { bucket } = location;
  const where = `the S3 bucket '${bucket}'${location.endpoint === undefined ? '' : ` at ${location.endpoint}`}`;

  const send = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw s3Failure(error, what, where);
    }
  };

  const has = async (key: string): Promise<boolean> => {
    try {
      await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw s3Failure(error, `look up ${key}`, where);
    }
  };

  return {
    url: location.url,
    has,
    readText: async (key) => {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return (await object.Body?.transformToString('utf8')) ?? '';
      } catch (error) {
        if (statusOf(error) === 404) return null;
        throw s3Failure(error, `read ${key}`, where);
      }
    },
    putText: async (key, text, contentType) => {
      await send(`upload ${key}`, () => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: contentType })));
    },
    putNar: async (info: PathInfo, physicalPath: string) => {
      const stage = mkdtempSync(join(tmpdir(), 'genledger-s3-nar-'));
      try {
        const files = new CacheFiles(stage, pid);
        files.mkdir('nar');
        const nar = await writeNarFile(files, info, physicalPath, 'none');
        await send(`upload ${nar.url}`, () =>
          client.send(new PutObjectCommand({ Bucket: bucket, Key: nar.url, Body: createReadStream(join(stage, nar.url)), ContentLength: nar.fileSize, ContentType: 'application/x-nix-nar' })),
        );
        return nar;
      } finally {
        rmSync(stage, { recursive: true, force: true });
      }
    },
    close: async () => client.destroy(),
  };
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

/** One line for what the SDK threw: the network error's code, or the service's error name and message. */
function s3Failure(error: unknown, what: string, where: string) {
  if (isGenledgerError(error)) return error;
  const failure = error as { name?: string; code?: string; message?: string; errors?: Array<{ code?: string }> } | null;
  const code = failure?.code ?? failure?.errors?.[0]?.code ?? failure?.name;
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return refused('GENLEDGER_CACHE_UNREACHABLE', `cannot ${what} in ${where}: the endpoint cannot be reached (${code})`, 'check the endpoint= of the cache URL and that the server is up; push again to resume');
  }
  const status = statusOf(error);
  const detail = (failure?.message ?? '').split('\n')[0]?.trim().slice(0, 200) || 'no message';
  return refused(
    'GENLEDGER_CACHE_REFUSED',
    `cannot ${what} in ${where}: ${failure?.name ?? 'error'}${status === undefined ? '' : ` (HTTP ${status})`}: ${detail}`,
    'check that the bucket exists and that the AWS credentials the SDK finds (AWS_ACCESS_KEY_ID, AWS_PROFILE, ~/.aws) may write it',
  );
}
