/**
 * `fleet push --cache URL` fills a binary cache that real Nix 2.8 reads:
 * a file:// cache copied from with `nix copy` and verified with only the
 * host's key trusted, and an S3 bucket on a local S3-compatible server
 * (s3rver, on 127.0.0.1 only) filled through the AWS SDK and read by Nix
 * over plain HTTP (Debian's Nix has no S3 support of its own). A second
 * push uploads nothing; bad URLs, an unreachable endpoint and a cache
 * holding a path with another NAR hash are each answered as documented.
 * Skipped, with the reason printed, when nix is missing.
 */
import { execFile, spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog, jsonOf, makeStoreHome } from '../integration/bundle-fixtures.js';
import type { StoreHome } from '../integration/bundle-fixtures.js';

const execFileAsync = promisify(execFile);
const haveNix = spawnSync('nix', ['--version'], { stdio: 'ignore' }).status === 0;
if (!haveNix) console.warn('compat: nix not found; skipping the check that real Nix reads fleet caches');

interface CacheReport {
  cache: string;
  uploaded: number;
  narsUploaded: number;
  skipped: number;
  conflicts: Array<{ path: string; cacheNarHash: string; narHash: string }>;
  missing: string[];
}

/** A port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(!haveNix)('fleet push --cache, read by real Nix 2.8', () => {
  let temp: string;
  let home: StoreHome;
  let keyFile: string;
  let publicKey: string;
  let paths: string[];
  let s3: S3rver;
  let s3Port: number;

  const nix = (args: string[]): SpawnSyncReturns<string> =>
    spawnSync('nix', ['--extra-experimental-features', 'nix-command', ...args], {
      env: { ...process.env, NIX_REMOTE: 'local', XDG_CACHE_HOME: join(temp, 'xdg-cache') },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  const nixOk = (args: string[]): string => {
    const result = nix(args);
    if (result.status !== 0) throw new Error(`nix ${args.join(' ')} failed:\n${result.stderr}`);
    return result.stdout;
  };
  /** For Nix reading from s3rver, which runs in this process: a synchronous spawn would block the server Nix waits for. */
  const nixOkAsync = async (args: string[]): Promise<string> => {
    try {
      const { stdout } = await execFileAsync('nix', ['--extra-experimental-features', 'nix-command', ...args], {
        env: { ...process.env, NIX_REMOTE: 'local', XDG_CACHE_HOME: join(temp, 'xdg-cache') },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      });
      return stdout;
    } catch (error) {
      throw new Error(`nix ${args.join(' ')} failed:\n${(error as { stderr?: string }).stderr ?? String(error)}`);
    }
  };
  const push = async (cache: string, ...more: string[]) => jsonOf<{ cache: CacheReport }>(await home.ok('fleet', 'push', '--cache', cache, '--sign-key', keyFile, '--json', ...more)).cache;

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'genledger-fleet-cache-'));
    home = makeStoreHome({ start: '2026-01-10T08:00:00Z', actor: { user: 'alice', uid: 1000, host: 'host-a' } });
    await home.ok('key', 'generate', 'host-a-1', '--dir', join(temp, 'keys'));
    keyFile = join(temp, 'keys', 'host-a-1.sec');
    publicKey = readFileSync(join(temp, 'keys', 'host-a-1.pub'), 'utf8');
    await home.ok('profile', 'install', `${catalog}#hello`, `${catalog}#greet`);
    await home.ok('profile', 'install', `${catalog}#figlet-lite`);
    await home.ok('profile', 'remove', 'figlet-lite');
    await home.ok('profile', 'delete-generations', '2');
    const live = jsonOf<{ elements: Array<{ storePaths: string[] }> }>(await home.ok('profile', 'list', '--json'));
    paths = live.elements.flatMap((element) => element.storePaths);
    s3 = new S3rver({ address: '127.0.0.1', port: 0, directory: join(temp, 's3'), silent: true });
    ({ port: s3Port } = await s3.run());
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const client = new S3Client({ endpoint: `http://127.0.0.1:${s3Port}`, region: 'us-east-1', forcePathStyle: true });
    await client.send(new CreateBucketCommand({ Bucket: 'fleet-cache' }));
    client.destroy();
  });

  afterAll(async () => {
    await s3?.close();
    home?.cleanup();
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
  });

  describe('a file:// cache', () => {
    let dir: string;
    let first: CacheReport;

    beforeAll(async () => {
      dir = join(temp, 'file-cache');
      first = await push(`file://${dir}`);
    });

    it('holds the live closure, each narinfo signed by the host key, and announces itself', () => {
      const narInfos = readdirSync(dir).filter((name) => name.endsWith('.narinfo'));
      // Generations 1 and 3 hold the same packages, so share one (content-addressed) profile path; figlet-lite, held only by the deleted generation 2, is left out.
      expect(first).toMatchObject({ uploaded: 3, narsUploaded: 3, skipped: 0, conflicts: [], missing: [] });
      expect(narInfos).toHaveLength(3);
      expect(narInfos.map((name) => readFileSync(join(dir, name), 'utf8')).filter((text) => text.includes('figlet'))).toEqual([]);
      for (const name of narInfos) expect(readFileSync(join(dir, name), 'utf8')).toMatch(/^Sig: host-a-1:/m);
      expect(readFileSync(join(dir, 'nix-cache-info'), 'utf8')).toBe('StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 41\n');
    });

    it('is copied by nix copy with only the host key trusted, and its signatures verify', () => {
      const chroot = join(temp, 'nix-from-file');
      nixOk(['copy', '--from', `file://${dir}`, '--to', `local?root=${chroot}`, '--option', 'trusted-public-keys', publicKey, ...paths]);
      const infos = JSON.parse(nixOk(['path-info', '--store', `file://${dir}`, '--json', '--sigs', ...paths])) as Array<{ signatures?: string[] }>;
      for (const info of infos) expect(info.signatures?.some((sig) => sig.startsWith('host-a-1:'))).toBe(true);
      nixOk(['store', 'verify', '--store', `file://${dir}`, '--sigs-needed', '1', '--option', 'trusted-public-keys', publicKey, ...paths]);
      expect(nixOk(['path-info', '--store', `local?root=${chroot}`, ...paths]).trim().split('\n').sort()).toEqual([...paths].sort());
    });

    it('uploads nothing when pushed again', async () => {
      expect(await push(`file://${dir}`)).toMatchObject({ uploaded: 0, narsUploaded: 0, skipped: 3 });
    });

    it('keeps a path the cache holds with another NAR hash, with a warning', async () => {
      const conflicted = join(temp, 'conflict-cache');
      await push(`file://${conflicted}`);
      const name = readdirSync(conflicted).find((file) => file.endsWith('.narinfo')) as string;
      const text = readFileSync(join(conflicted, name), 'utf8');
      const other = 'sha256:0000000000000000000000000000000000000000000000000000';
      writeFileSync(join(conflicted, name), text.replace(/^NarHash: .*$/m, `NarHash: ${other}`));
      const result = await home.ok('fleet', 'push', '--cache', `file://${conflicted}`, '--sign-key', keyFile, '--json');
      expect(jsonOf<{ cache: CacheReport }>(result).cache).toMatchObject({ uploaded: 0, skipped: 3, conflicts: [{ cacheNarHash: other }] });
      expect(result.stderr).toMatch(/^genledger: warning: the cache holds '.*' with NAR hash sha256:0{52}, this store sha256:.*; the cache's copy is kept\n$/);
      expect(readFileSync(join(conflicted, name), 'utf8')).toContain(other);
    });
  });

  describe('an S3 bucket', () => {
    it('is filled through the AWS SDK, read by Nix over HTTP, and not refilled', async () => {
      const url = `s3://fleet-cache?endpoint=http://127.0.0.1:${s3Port}&region=us-east-1`;
      expect(await push(url)).toMatchObject({ cache: url, uploaded: 3, narsUploaded: 3, skipped: 0 });
      const chroot = join(temp, 'nix-from-s3');
      await nixOkAsync(['copy', '--from', `http://127.0.0.1:${s3Port}/fleet-cache`, '--to', `local?root=${chroot}`, '--option', 'trusted-public-keys', publicKey, ...paths]);
      expect(nixOk(['path-info', '--store', `local?root=${chroot}`, ...paths]).trim().split('\n').sort()).toEqual([...paths].sort());
      const infos = JSON.parse(await nixOkAsync(['path-info', '--store', `http://127.0.0.1:${s3Port}/fleet-cache`, '--json', '--sigs', ...paths])) as Array<{ signatures?: string[] }>;
      for (const info of infos) expect(info.signatures?.some((sig) => sig.startsWith('host-a-1:'))).toBe(true);
      expect(await push(url)).toMatchObject({ uploaded: 0, narsUploaded: 0, skipped: 3 });
    });
  });

  describe('refusals', () => {
    it.each([['http://cache.example.org'], ['file://relative/dir'], ['s3://bucket?profile=x'], ['not a url']])('refuses the cache URL %s (exit 2)', async (url) => {
      const result = await home.cli('fleet', 'push', '--cache', url, '--sign-key', keyFile);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^genledger: cannot use '.*' as a binary cache to upload to: /);
    });

    it('refuses --cache without a signing key (exit 2)', async () => {
      const result = await home.cli('fleet', 'push', '--cache', `file://${join(temp, 'unsigned')}`);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^genledger: --cache needs a key to sign the narinfos with\n/);
    });

    it('refuses an unreachable S3 endpoint in one line, without the SDK stack (exit 1)', async () => {
      const port = await closedPort();
      const result = await home.cli('fleet', 'push', '--cache', `s3://fleet-cache?endpoint=http://127.0.0.1:${port}`, '--sign-key', keyFile);
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines[0]).toBe(`genledger: cannot read nix-cache-info in the S3 bucket 'fleet-cache' at http://127.0.0.1:${port}: the endpoint cannot be reached (ECONNREFUSED)`);
      expect(lines.slice(1).every((line) => line.startsWith('hint: '))).toBe(true);
      expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    });

    it('refuses a missing bucket in one line (exit 1)', async () => {
      const result = await home.cli('fleet', 'push', '--cache', `s3://no-such-bucket?endpoint=http://127.0.0.1:${s3Port}`, '--sign-key', keyFile, '--json');
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stderr).error.code).toBe('GENLEDGER_CACHE_REFUSED');
    });
  });
});
