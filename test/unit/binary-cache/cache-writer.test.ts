import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSecretKey } from '../../../src/ledger/nix-key.js';
import { writeBinaryCache } from '../../../src/store/binary-cache/cache-writer.js';
import type { CacheWriteProgress } from '../../../src/store/binary-cache/cache-writer.js';
import { narInfoFileName, parseNarInfo } from '../../../src/store/binary-cache/narinfo.js';
import { narBytesOfPath } from '../../../src/store/nar-writer.js';
import type { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { makeTempDir } from '../store/helpers.js';
import { addFixture, addInputAddressed, addReferrer, chrootStore } from './stores.js';
import { NARINFO_F1, SIGNATURES, TEST_SECRET_KEY } from './vectors.js';

const haveXz = spawnSync('xz', ['--version'], { stdio: 'ignore' }).status === 0;
if (!haveXz) console.warn('binary-cache: xz not found; skipping the xz cache tests');

let temp: ReturnType<typeof makeTempDir>;
let store: EmbeddedStore;
let cache: string;

const narInfoFile = (path: string) => join(cache, narInfoFileName(store.storeDir, path));
const narInfoText = (path: string) => readFileSync(narInfoFile(path), 'utf8');
const allFiles = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

beforeEach(() => {
  temp = makeTempDir('cache-writer');
  store = chrootStore(join(temp.path, 'a'));
  cache = join(temp.path, 'cache');
});
afterEach(() => temp.cleanup());

describe('writeBinaryCache', () => {
  it("writes the spec's narinfo and signatures byte for byte", async () => {
    const names = ['hello.txt', 'run.sh', 'pkga-1.0', 'pkgb-2.0'];
    const infos = [];
    for (const name of names) infos.push(await addFixture(store, name, temp.path));

    await writeBinaryCache({ store, paths: infos.map((info) => info.path), dir: cache, secretKey: parseSecretKey(TEST_SECRET_KEY), pid: 7 });

    expect(narInfoText(infos[0]?.path ?? '')).toBe(NARINFO_F1);
    for (const info of infos.slice(1)) {
      const name = store.storeDir.parseStorePath(info.path).name;
      expect(narInfoText(info.path)).toContain(`\nSig: nixspec-test-1:${SIGNATURES[name]}\n`);
    }
    expect(readFileSync(join(cache, 'nix-cache-info'), 'utf8')).toBe('StoreDir: /nix/store\n');
    expect(readdirSync(join(cache, 'log'))).toEqual([]);
    expect(readdirSync(join(cache, 'realisations'))).toEqual([]);
  });

  it('stores each NAR uncompressed under its hash, and leaves no temporary file', async () => {
    const hello = await addFixture(store, 'hello.txt', temp.path);
    const tree = await addFixture(store, 'tree', temp.path);

    await writeBinaryCache({ store, paths: [hello.path, tree.path], dir: cache });

    for (const info of [hello, tree]) {
      const narInfo = parseNarInfo(narInfoText(info.path), store.storeDir, 'test');
      expect(narInfo.url).toBe(`nar/${info.narHash.toNix32()}.nar`);
      expect(narInfo.sigs).toEqual([]);
      expect(readFileSync(join(cache, narInfo.url)).equals(narBytesOfPath(store.location.physical(info.path)))).toBe(true);
    }
    expect(allFiles(cache).filter((file) => file.includes('.tmp.'))).toEqual([]);
  });

  it('writes Deriver and leaves out CA for an input-addressed path', async () => {
    const info = await addInputAddressed(store, 'tool-1.0');
    await writeBinaryCache({ store, paths: [info.path], dir: cache });
    const text = narInfoText(info.path);
    expect(text).toContain(`\nDeriver: ${info.deriver?.slice('/nix/store/'.length)}\n`);
    expect(text).not.toContain('CA:');
  });

  it('skips paths already in the cache and never rewrites a NAR file', async () => {
    const hello = await addFixture(store, 'hello.txt', temp.path);
    const referrer = await addReferrer(store, 'uses-hello', [hello.path], temp.path);
    await writeBinaryCache({ store, paths: [hello.path], dir: cache });
    const narFile = join(cache, `nar/${hello.narHash.toNix32()}.nar`);
    const before = statSync(narFile);
    const events: CacheWriteProgress[] = [];

    const result = await writeBinaryCache({ store, paths: [hello.path, referrer.path], dir: cache, onProgress: (event) => void events.push(event) });

    expect(result).toEqual({ written: [referrer.path], skipped: [hello.path] });
    expect(events.map((event) => [event.action, event.done, event.total])).toEqual([
      ['skipped', 1, 2],
      ['written', 2, 2],
    ]);
    expect(statSync(narFile).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(narFile).ino).toBe(before.ino);
  });

  it('refuses a path whose reference is not in the cache yet, writing nothing for it', async () => {
    const hello = await addFixture(store, 'hello.txt', temp.path);
    const referrer = await addReferrer(store, 'uses-hello', [hello.path], temp.path);

    await expect(writeBinaryCache({ store, paths: [referrer.path], dir: cache })).rejects.toMatchObject({
      code: 'GENLEDGER_CACHE_MISSING_REFERENCE',
      exitCode: 1,
    });
    expect(allFiles(join(cache, 'nar'))).toEqual([]);
    expect(allFiles(cache).filter((file) => file.endsWith('.narinfo'))).toEqual([]);
  });

  it('refuses to export a path modified in the store, leaving no file behind', async () => {
    const info = await addFixture(store, 'run.sh', temp.path);
    const physical = store.location.physical(info.path);
    chmodSync(physical, 0o755);
    writeFileSync(physical, '#!/bin/sh\necho HI\n');

    await expect(writeBinaryCache({ store, paths: [info.path], dir: cache })).rejects.toMatchObject({
      code: 'GENLEDGER_STORE_PATH_CORRUPT',
      exitCode: 4,
    });
    expect(allFiles(join(cache, 'nar'))).toEqual([]);
    expect(existsSync(narInfoFile(info.path))).toBe(false);
  });

  it('refuses to add to a cache made for another store directory', async () => {
    const info = await addFixture(store, 'hello.txt', temp.path);
    await writeBinaryCache({ store, paths: [], dir: cache });
    writeFileSync(join(cache, 'nix-cache-info'), 'StoreDir: /gnu/store\n');
    await expect(writeBinaryCache({ store, paths: [info.path], dir: cache })).rejects.toMatchObject({ code: 'GENLEDGER_CACHE_STORE_DIR_MISMATCH' });
  });

  it.skipIf(!haveXz)('compresses NARs with xz when asked, naming them for the compressed hash', async () => {
    const info = await addFixture(store, 'tree', temp.path);
    await writeBinaryCache({ store, paths: [info.path], dir: cache, compression: 'xz' });

    const narInfo = parseNarInfo(narInfoText(info.path), store.storeDir, 'test');
    expect(narInfo.compression).toBe('xz');
    expect(narInfo.url).toBe(`nar/${narInfo.fileHash?.toNix32()}.nar.xz`);
    const file = readFileSync(join(cache, narInfo.url));
    expect(file.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))).toBe(true);
    expect(file.length).toBe(narInfo.fileSize);
    expect(narInfo.narHash.equals(info.narHash)).toBe(true);
    expect(allFiles(cache).filter((name) => name.includes('.tmp.'))).toEqual([]);
  });
});
