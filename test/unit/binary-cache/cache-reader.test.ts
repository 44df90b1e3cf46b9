import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheDirectoryOf, openBinaryCache } from '../../../src/store/binary-cache/cache-reader.js';
import { StoreDir } from '../../../src/store/store-path.js';
import { makeTempDir } from '../store/helpers.js';
import { NARINFO_F1, NARINFO_REF2 } from './vectors.js';

const storeDir = new StoreDir('/nix/store');
const F1 = '/nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt';
let temp: ReturnType<typeof makeTempDir>;
let cache: string;

beforeEach(() => {
  temp = makeTempDir('cache-reader');
  cache = join(temp.path, 'cache dir');
  mkdirSync(cache);
  writeFileSync(join(cache, 'nix-cache-info'), 'StoreDir: /nix/store\nPriority: 30\n');
});
afterEach(() => temp.cleanup());

describe('cache URLs', () => {
  it.each([
    ['file:///srv/cache', '/srv/cache'],
    ['file:///srv/my%20cache/', '/srv/my cache'],
    ['/srv/cache/', '/srv/cache'],
  ])('reads %s as the directory %s', (url, dir) => {
    expect(cacheDirectoryOf(url)).toBe(dir);
  });

  it.each(['relative/cache', 'https://cache.nixos.org', 'file://host/srv/cache', 'file:///srv/cache?compression=none', 's3://bucket'])(
    'refuses %s as a usage error',
    (url) => {
      expect(() => cacheDirectoryOf(url)).toThrow(expect.objectContaining({ code: 'GENLEDGER_BAD_CACHE_URL', exitCode: 2 }));
    },
  );
});

describe('openBinaryCache', () => {
  it('reads nix-cache-info through a file:// URL', async () => {
    const opened = await openBinaryCache(`file://${encodeURI(cache)}`, storeDir);
    expect(opened.dir).toBe(cache);
    expect(opened.info).toEqual({ storeDir: '/nix/store', priority: 30 });
  });

  it('refuses a directory that is not a binary cache', async () => {
    await expect(openBinaryCache(temp.path, storeDir)).rejects.toMatchObject({ code: 'GENLEDGER_CACHE_NOT_FOUND', exitCode: 1 });
    await expect(openBinaryCache(join(temp.path, 'missing'), storeDir)).rejects.toMatchObject({ code: 'GENLEDGER_CACHE_NOT_FOUND' });
  });

  it('refuses a cache for another store directory', async () => {
    await expect(openBinaryCache(cache, new StoreDir('/gnu/store'))).rejects.toMatchObject({ code: 'GENLEDGER_CACHE_STORE_DIR_MISMATCH' });
  });
});

describe('BinaryCache.narInfo', () => {
  it('returns null for a path the cache does not have', async () => {
    expect(await (await openBinaryCache(cache, storeDir)).narInfo(F1)).toBeNull();
  });

  it('returns the parsed narinfo of a path it has', async () => {
    writeFileSync(join(cache, '2xr781z591fm9c9jchvf8389sr8qsszk.narinfo'), NARINFO_F1);
    const info = await (await openBinaryCache(cache, storeDir)).narInfo(F1);
    expect(info?.storePath).toBe(F1);
    expect(info?.narSize).toBe(128);
  });

  it('refuses a narinfo filed under another path', async () => {
    writeFileSync(join(cache, '2xr781z591fm9c9jchvf8389sr8qsszk.narinfo'), NARINFO_REF2);
    await expect((await openBinaryCache(cache, storeDir)).narInfo(F1)).rejects.toMatchObject({
      code: 'GENLEDGER_BAD_NARINFO',
      message: expect.stringContaining("describes '/nix/store/pldvghqwd8bk4gnyvxy7p0jqqi4b8zsp-ref2.txt'"),
    });
  });

  it('refuses a narinfo too large to be genuine, without reading it', async () => {
    writeFileSync(join(cache, '2xr781z591fm9c9jchvf8389sr8qsszk.narinfo'), Buffer.alloc(2 * 1024 * 1024, 0x41));
    await expect((await openBinaryCache(cache, storeDir)).narInfo(F1)).rejects.toMatchObject({ code: 'GENLEDGER_BAD_NARINFO' });
  });

  it('refuses to look up something that is not a store path', async () => {
    await expect((await openBinaryCache(cache, storeDir)).narInfo('/nix/store/../etc/passwd')).rejects.toMatchObject({ code: 'GENLEDGER_BAD_STORE_PATH' });
  });
});
