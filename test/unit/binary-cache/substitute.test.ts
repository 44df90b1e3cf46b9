import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair, parsePublicKey, parseSecretKey } from '../../../src/ledger/nix-key.js';
import { openBinaryCache } from '../../../src/store/binary-cache/cache-reader.js';
import { writeBinaryCache } from '../../../src/store/binary-cache/cache-writer.js';
import type { WriteCompression } from '../../../src/store/binary-cache/nar-compression.js';
import { narInfoFileName, parseNarInfo, renderNarInfo } from '../../../src/store/binary-cache/narinfo.js';
import type { NarInfo } from '../../../src/store/binary-cache/narinfo.js';
import { substitute } from '../../../src/store/binary-cache/substituter.js';
import type { SubstituteOptions, SubstituteProgress } from '../../../src/store/binary-cache/substituter.js';
import type { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { hashPath } from '../../../src/store/nar-writer.js';
import type { PathInfo } from '../../../src/store/path-info.js';
import { makeTempDir } from '../store/helpers.js';
import { NOW, PID, addFixture, addFlatFile, addInputAddressed, addReferrer, chrootStore, storeEntries } from './stores.js';
import { TEST_PUBLIC_KEY, TEST_SECRET_KEY } from './vectors.js';

const haveXz = spawnSync('xz', ['--version'], { stdio: 'ignore' }).status === 0;

let temp: ReturnType<typeof makeTempDir>;
let source: EmbeddedStore;
let target: EmbeddedStore;
let cacheDir: string;

beforeEach(() => {
  temp = makeTempDir('substitute');
  source = chrootStore(join(temp.path, 'a'));
  target = chrootStore(join(temp.path, 'b'));
  cacheDir = join(temp.path, 'cache');
});
afterEach(() => temp.cleanup());

async function exportPaths(infos: readonly PathInfo[], options: { signed?: boolean; compression?: WriteCompression } = {}): Promise<void> {
  const paths = await source.closure(infos.map((info) => info.path));
  const secretKey = options.signed === true ? parseSecretKey(TEST_SECRET_KEY) : undefined;
  await writeBinaryCache({ store: source, paths, dir: cacheDir, compression: options.compression ?? 'none', ...(secretKey ? { secretKey } : {}) });
}

async function run(paths: readonly string[], options: Partial<SubstituteOptions> = {}) {
  const caches = options.caches ?? [await openBinaryCache(`file://${cacheDir}`, target.storeDir)];
  return substitute({ store: target, caches, paths, requireSigs: true, trustedKeys: [parsePublicKey(TEST_PUBLIC_KEY)], pid: PID, now: NOW, ...options });
}

const narInfoPath = (path: string) => join(cacheDir, narInfoFileName(source.storeDir, path));
const readNarInfo = (path: string) => parseNarInfo(readFileSync(narInfoPath(path), 'utf8'), source.storeDir, 'test');
const rewriteNarInfo = (path: string, change: (info: NarInfo) => NarInfo) => writeFileSync(narInfoPath(path), renderNarInfo(change(readNarInfo(path))));

/** Asserts that `paths` are neither registered nor on disk in the target, and no temporary entry is left. */
async function expectNothingOf(paths: readonly string[]): Promise<void> {
  for (const path of paths) expect(await target.pathInfos.has(path)).toBe(false);
  expect(storeEntries(target)).toEqual([]);
}

describe('substitute: write → read → substitute round trip', () => {
  it.each<WriteCompression>(haveXz ? ['none', 'xz'] : ['none'])('copies a closure between two stores (%s), dependencies first', async (compression) => {
    const hello = await addFixture(source, 'hello.txt', temp.path);
    const runSh = await addFixture(source, 'run.sh', temp.path);
    const tree = await addFixture(source, 'tree', temp.path);
    const top = await addReferrer(source, 'top', [hello.path, runSh.path], temp.path);
    const tool = await addInputAddressed(source, 'tool-1.0', [top.path, tree.path]);
    await exportPaths([tool], { signed: true, compression });
    const events: SubstituteProgress[] = [];

    const result = await run([tool.path], { onProgress: (event) => void events.push(event) });

    expect(result.alreadyValid).toEqual([]);
    expect(result.substituted).toEqual(await source.closure([tool.path]));
    expect(events.map((event) => [event.path, event.done, event.total])).toEqual(result.substituted.map((path, i) => [path, i + 1, 5]));
    for (const info of [hello, runSh, tree, top, tool]) {
      expect(await target.info(info.path)).toEqual({ ...info, registrationTime: Math.floor(NOW.getTime() / 1000) });
      expect(hashPath(target.location.physical(info.path)).narHash.equals(info.narHash)).toBe(true);
    }
    expect(storeEntries(target)).toEqual(storeEntries(source));
  });

  it('reports valid paths and does not fetch below them', async () => {
    const hello = await addFixture(source, 'hello.txt', temp.path);
    const top = await addReferrer(source, 'top', [hello.path], temp.path);
    await exportPaths([top]);
    await run([hello.path]);
    rmSync(join(cacheDir, narInfoFileName(source.storeDir, hello.path)));

    expect(await run([top.path, hello.path])).toEqual({ substituted: [top.path], alreadyValid: [hello.path] });
    expect(await run([top.path])).toEqual({ substituted: [], alreadyValid: [top.path] });
  });

  it('takes a path from the first cache that has it', async () => {
    const hello = await addFixture(source, 'hello.txt', temp.path);
    await exportPaths([hello]);
    mkdirSync(join(temp.path, 'empty-cache'));
    writeFileSync(join(temp.path, 'empty-cache', 'nix-cache-info'), 'StoreDir: /nix/store\n');
    const caches = [await openBinaryCache(join(temp.path, 'empty-cache'), target.storeDir), await openBinaryCache(cacheDir, target.storeDir)];
    const events: SubstituteProgress[] = [];

    await run([hello.path], { caches, onProgress: (event) => void events.push(event) });

    expect(events.map((event) => event.cache)).toEqual([cacheDir]);
  });

  it('replaces an unregistered leftover at the path with the substituted contents', async () => {
    const hello = await addFixture(source, 'hello.txt', temp.path);
    await exportPaths([hello]);
    writeFileSync(target.location.physical(hello.path), 'junk');

    await run([hello.path]);

    expect(readFileSync(target.location.physical(hello.path), 'utf8')).toBe('Hello, Nix!\n');
  });
});

describe('substitute: what the cache must prove', () => {
  it('refuses a NAR with one byte flipped, leaving nothing behind', async () => {
    const info = await addFixture(source, 'pkga-1.0', temp.path);
    await exportPaths([info]);
    const narFile = join(cacheDir, readNarInfo(info.path).url);
    const bytes = readFileSync(narFile);
    bytes[600] = (bytes[600] ?? 0) ^ 0x01;
    writeFileSync(narFile, bytes);

    const failure = run([info.path]);

    await expect(failure).rejects.toMatchObject({ code: 'GENLEDGER_NAR_HASH_MISMATCH', exitCode: 4 });
    await expect(failure).rejects.toThrow(`NAR '${readNarInfo(info.path).url}' of '${info.path}' in file://${cacheDir} does not match its FileHash`);
    await expectNothingOf([info.path]);
  });

  it('refuses a NAR that does not hash to NarHash when the narinfo gives no FileHash', async () => {
    const info = await addFixture(source, 'pkga-1.0', temp.path);
    await exportPaths([info]);
    const narFile = join(cacheDir, readNarInfo(info.path).url);
    const bytes = readFileSync(narFile);
    bytes[600] = (bytes[600] ?? 0) ^ 0x01;
    writeFileSync(narFile, bytes);
    rewriteNarInfo(info.path, ({ fileHash: _hash, fileSize: _size, ...rest }) => rest);

    await expect(run([info.path])).rejects.toMatchObject({ code: 'GENLEDGER_NAR_HASH_MISMATCH', message: expect.stringContaining(`NAR of '${info.path}' from file://${cacheDir} has hash`) });
    await expectNothingOf([info.path]);
  });

  it('stops reading a NAR that grows past its NarSize', async () => {
    const info = await addFixture(source, 'tree', temp.path);
    await exportPaths([info]);
    rewriteNarInfo(info.path, (narInfo) => ({ ...narInfo, narSize: 100 }));

    await expect(run([info.path], { requireSigs: false })).rejects.toMatchObject({ code: 'GENLEDGER_NAR_HASH_MISMATCH', message: expect.stringContaining('is larger than its NarSize 100') });
    await expectNothingOf([info.path]);
  });

  it.skipIf(!haveXz)('stops decompressing an xz NAR that inflates past its NarSize', async () => {
    const zeros = await addFlatFile(source, 'flat', 'zeros', '\0'.repeat(4 * 1024 * 1024));
    await exportPaths([zeros], { compression: 'xz' });
    rewriteNarInfo(zeros.path, (narInfo) => ({ ...narInfo, narSize: 1000 }));

    await expect(run([zeros.path])).rejects.toMatchObject({ code: 'GENLEDGER_NAR_HASH_MISMATCH', message: expect.stringContaining('is larger than its NarSize 1000') });
    await expectNothingOf([zeros.path]);
  });

  it('refuses an input-addressed path signed by an untrusted key, and accepts it with the right key', async () => {
    const tool = await addInputAddressed(source, 'tool-1.0');
    await exportPaths([tool], { signed: true });

    await expect(run([tool.path], { trustedKeys: [generateKeyPair('other-1').publicKey] })).rejects.toMatchObject({
      code: 'GENLEDGER_SUBSTITUTE_FAILED',
      exitCode: 4,
      message: `cannot substitute '${tool.path}' from file://${cacheDir}: it has no valid signature by a trusted key`,
    });
    await expectNothingOf([tool.path]);
    expect((await run([tool.path])).substituted).toEqual([tool.path]);
  });

  it('refuses an unsigned input-addressed path unless signatures are not required', async () => {
    const tool = await addInputAddressed(source, 'tool-1.0');
    await exportPaths([tool]);
    await expect(run([tool.path])).rejects.toMatchObject({ code: 'GENLEDGER_SUBSTITUTE_FAILED' });
    expect((await run([tool.path], { requireSigs: false, trustedKeys: [] })).substituted).toEqual([tool.path]);
  });

  it('refuses a signature once the signed facts are changed', async () => {
    const tool = await addInputAddressed(source, 'tool-1.0');
    const hello = await addFixture(source, 'hello.txt', temp.path);
    await exportPaths([tool, hello], { signed: true });
    rewriteNarInfo(tool.path, (narInfo) => ({ ...narInfo, references: [hello.path] }));
    await expect(run([tool.path])).rejects.toMatchObject({ code: 'GENLEDGER_SUBSTITUTE_FAILED' });
  });

  it('accepts unsigned content-addressed paths (source, text and flat) without any trusted key', async () => {
    const hello = await addFixture(source, 'hello.txt', temp.path);
    const top = await addReferrer(source, 'top', [hello.path], temp.path);
    const text = await addFlatFile(source, 'text', 'note.txt', `${hello.path}\n`, [hello.path]);
    const flat = await addFlatFile(source, 'flat', 'data.bin', 'flat contents');
    await exportPaths([top, text, flat]);

    const result = await run([top.path, text.path, flat.path], { trustedKeys: [] });

    expect(result.substituted.sort()).toEqual([hello.path, top.path, text.path, flat.path].sort());
  });

  it.each(['source', 'text'] as const)('refuses a %s path whose NAR was swapped for another, though NarHash was updated to match', async (kind) => {
    const victim = kind === 'source' ? await addFixture(source, 'hello.txt', temp.path) : await addFlatFile(source, 'text', 'note.txt', 'genuine\n');
    const evil = await addFlatFile(source, 'flat', 'evil', 'evil\n');
    await exportPaths([victim, evil]);
    const evilNarInfo = readNarInfo(evil.path);
    rewriteNarInfo(victim.path, (narInfo) => ({ ...evilNarInfo, storePath: narInfo.storePath, ...(narInfo.ca ? { ca: narInfo.ca } : {}) }));

    await expect(run([victim.path], { trustedKeys: [] })).rejects.toMatchObject({
      code: 'GENLEDGER_SUBSTITUTE_FAILED',
      message: expect.stringContaining('its contents do not match its content address'),
    });
    await expectNothingOf([victim.path]);
  });

  it('names a path that no cache has, and which path needed it', async () => {
    const hello = await addFixture(source, 'hello.txt', temp.path);
    const top = await addReferrer(source, 'top', [hello.path], temp.path);
    await exportPaths([top]);
    rmSync(narInfoPath(hello.path));

    await expect(run([top.path])).rejects.toMatchObject({
      code: 'GENLEDGER_PATH_NOT_IN_CACHE',
      exitCode: 1,
      message: `path '${hello.path}' (needed by '${top.path}') is in none of the binary caches file://${cacheDir}`,
    });
    await expectNothingOf([hello.path, top.path]);
  });

  it('fails cleanly when the NAR file named by a narinfo is missing', async () => {
    const hello = await addFixture(source, 'hello.txt', temp.path);
    await exportPaths([hello]);
    rmSync(join(cacheDir, readNarInfo(hello.path).url));
    await expect(run([hello.path])).rejects.toMatchObject({ code: 'GENLEDGER_SUBSTITUTE_FAILED', exitCode: 4, message: expect.stringContaining('is missing') });
    await expectNothingOf([hello.path]);
  });

  it.skipIf(!haveXz)('fails cleanly when an xz NAR is not valid xz', async () => {
    const hello = await addFixture(source, 'hello.txt', temp.path);
    await exportPaths([hello], { compression: 'xz' });
    const narInfo = readNarInfo(hello.path);
    writeFileSync(join(cacheDir, narInfo.url), 'not xz at all');
    rewriteNarInfo(hello.path, ({ fileHash: _hash, fileSize: _size, ...rest }) => rest);

    await expect(run([hello.path])).rejects.toMatchObject({ code: 'GENLEDGER_SUBSTITUTE_FAILED', message: expect.stringContaining('cannot decompress') });
    await expectNothingOf([hello.path]);
  });
});
