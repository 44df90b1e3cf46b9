/**
 * Real Nix 2.8 as the oracle for binary caches, both ways: caches genledger
 * writes are read by `nix copy --from file://…` (with our signing key
 * trusted, and with --no-check-sigs) and pass `nix store verify`; caches
 * Nix writes (uncompressed and signed, or compressed with xz, zstd, bzip2,
 * gzip, br) are substituted by genledger with the same NAR hashes, and the
 * uncompressed ones are byte-identical to ours. Fixtures live in throw-away
 * chroot stores. Skipped, with the reason printed, when nix is missing.
 */

import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePublicKey, parseSecretKey } from '../../src/ledger/nix-key.js';
import { openBinaryCache } from '../../src/store/binary-cache/cache-reader.js';
import { writeBinaryCache } from '../../src/store/binary-cache/cache-writer.js';
import { verifyPathInfoSignatures } from '../../src/store/binary-cache/fingerprint.js';
import { substitute } from '../../src/store/binary-cache/substituter.js';
import type { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { hashPath } from '../../src/store/nar-writer.js';
import type { PathInfo } from '../../src/store/path-info.js';
import { fixtureTree, makeTempDir, writeTree } from '../unit/store/helpers.js';
import { NOW, PID, addFixture, addFlatFile, addInputAddressed, addReferrer, chrootStore } from '../unit/binary-cache/stores.js';
import { TEST_PUBLIC_KEY, TEST_SECRET_KEY } from '../unit/binary-cache/vectors.js';

const haveNix = spawnSync('nix', ['--version'], { stdio: 'ignore' }).status === 0;
if (!haveNix) console.warn('compat: nix not found; skipping the binary-cache comparison with real Nix');

const HELLO = '/nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt';
const RUN_SH = '/nix/store/hgl6cwhlhzpznapan2nfnls2nyyv4lqb-run.sh';
const REF2 = '/nix/store/pldvghqwd8bk4gnyvxy7p0jqqi4b8zsp-ref2.txt';
const PKGA = '/nix/store/vakjq8iw060mbdsy1y8x2ml3l3wx64gr-pkga-1.0';
const PKGB = '/nix/store/l5y46b8p9il518p7jhl4nnsh86xlry98-pkgb-2.0';

let temp: ReturnType<typeof makeTempDir>;
let keyFile = '';

/** Runs a Nix command on chroot stores only: no daemon, and a private narinfo cache. */
function nix(command: string, args: string[]): SpawnSyncReturns<string> {
  const env = { ...process.env, NIX_REMOTE: 'local', XDG_CACHE_HOME: join(temp.path, 'xdg-cache') };
  const extra = command === 'nix' ? ['--extra-experimental-features', 'nix-command'] : [];
  return spawnSync(command, [...extra, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function nixOk(command: string, args: string[]): string {
  const result = nix(command, args);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

interface NixPathInfo {
  path: string;
  narHash: string;
  narSize: number;
  references: string[];
  ca?: string;
}

function nixPathInfos(store: string, paths: string[]): Map<string, NixPathInfo> {
  const infos = JSON.parse(nixOk('nix', ['path-info', '--store', store, '--json', '-r', ...paths])) as NixPathInfo[];
  return new Map(infos.map((info) => [info.path, info]));
}

function expectSameAsNix(ours: PathInfo, theirs: NixPathInfo | undefined): void {
  expect(theirs, ours.path).toBeDefined();
  expect(ours.narHash.toSRI()).toBe(theirs?.narHash);
  expect(ours.narSize).toBe(theirs?.narSize);
  expect([...ours.references]).toEqual(theirs?.references);
  expect(ours.ca ?? undefined).toBe(theirs?.ca);
}

describe.skipIf(!haveNix)('binary caches shared with real Nix 2.8', () => {
  beforeAll(() => {
    temp = makeTempDir('compat-cache');
    keyFile = join(temp.path, 'test-key.sec');
    writeFileSync(keyFile, TEST_SECRET_KEY);
  });
  afterAll(() => temp.cleanup());

  describe('a cache written by genledger', () => {
    let ours: EmbeddedStore;
    let wanted: string[];

    beforeAll(async () => {
      ours = chrootStore(join(temp.path, 'ours'));
      const infos: PathInfo[] = [];
      for (const name of ['hello.txt', 'run.sh', 'pkga-1.0', 'pkgb-2.0']) infos.push(await addFixture(ours, name, temp.path));
      const ref2 = await addFlatFile(ours, 'text', 'ref2.txt', `${RUN_SH} ${HELLO}\n`, [HELLO, RUN_SH]);
      const top = await addReferrer(ours, 'top', [PKGA, ref2.path], temp.path);
      const tool = await addInputAddressed(ours, 'tool-1.0', [top.path, PKGB]);
      wanted = [tool.path, ...infos.map((info) => info.path)];
      const paths = await ours.closure(wanted);
      const secretKey = parseSecretKey(TEST_SECRET_KEY);
      await writeBinaryCache({ store: ours, paths, dir: join(temp.path, 'ours-signed'), secretKey });
      await writeBinaryCache({ store: ours, paths, dir: join(temp.path, 'ours-unsigned') });
      await writeBinaryCache({ store: ours, paths, dir: join(temp.path, 'ours-xz'), secretKey, compression: 'xz' });
    });

    it.each(['ours-signed', 'ours-xz'])('is copied by nix copy --from (%s) with our key trusted, with the same path infos', async (cache) => {
      const chroot = join(temp.path, `nix-from-${cache}`);
      nixOk('nix', ['copy', '--from', `file://${join(temp.path, cache)}`, '--to', chroot, '--option', 'trusted-public-keys', TEST_PUBLIC_KEY, ...wanted]);
      const theirs = nixPathInfos(chroot, wanted);
      for (const path of await ours.closure(wanted)) {
        expectSameAsNix(await ours.requireInfo(path), theirs.get(path));
        expect(hashPath(join(chroot, path)).narHash.equals((await ours.requireInfo(path)).narHash)).toBe(true);
      }
    });

    it('passes nix store verify with our key as the trusted key', () => {
      nixOk('nix', ['store', 'verify', '--store', `file://${join(temp.path, 'ours-signed')}`, '--trusted-public-keys', TEST_PUBLIC_KEY, '-r', ...wanted]);
    });

    it('is refused by Nix when unsigned, and copied with --no-check-sigs', async () => {
      const from = `file://${join(temp.path, 'ours-unsigned')}`;
      const refused = nix('nix', ['copy', '--from', from, '--to', join(temp.path, 'nix-refused'), '--option', 'trusted-public-keys', TEST_PUBLIC_KEY, wanted[0] ?? '']);
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain('lacks a valid signature');

      const chroot = join(temp.path, 'nix-no-check-sigs');
      nixOk('nix', ['copy', '--from', from, '--to', chroot, '--no-check-sigs', ...wanted]);
      const theirs = nixPathInfos(chroot, wanted);
      for (const path of await ours.closure(wanted)) expectSameAsNix(await ours.requireInfo(path), theirs.get(path));
    });
  });

  describe('caches written by nix copy --to file://', () => {
    const wanted = [REF2, PKGA, PKGB];
    let nixStore = '';

    beforeAll(() => {
      nixStore = join(temp.path, 'nix-source');
      const sources = join(temp.path, 'nix-sources');
      mkdirSync(sources);
      for (const name of ['hello.txt', 'run.sh', 'pkga-1.0', 'pkgb-2.0']) writeTree(fixtureTree(name), join(sources, name));
      nixOk('nix-store', ['--store', nixStore, '--add', ...['hello.txt', 'run.sh', 'pkga-1.0', 'pkgb-2.0'].map((name) => join(sources, name))]);
      const expression = `builtins.toFile "ref2.txt" "\${builtins.storePath "${RUN_SH}"} \${builtins.storePath "${HELLO}"}\\n"`;
      expect(nixOk('nix-instantiate', ['--store', nixStore, '--read-write-mode', '--eval', '-E', expression]).trim()).toBe(`"${REF2}"`);
    });

    it.each([
      ['none', '?compression=none&secret-key=KEY'],
      ['xz', ''],
      ['zstd', '?compression=zstd'],
      ['bzip2', '?compression=bzip2'],
      ['gzip', '?compression=gzip'],
      ['br', '?compression=br'],
    ])('is substituted by genledger (%s) with the NAR hashes Nix recorded', async (compression, query) => {
      const cacheDir = join(temp.path, `nix-cache-${compression}`);
      nixOk('nix', ['copy', '--store', nixStore, '--to', `file://${cacheDir}${query.replace('KEY', keyFile)}`, ...wanted]);
      const target = chrootStore(join(temp.path, `ours-from-${compression}`));
      const cache = await openBinaryCache(`file://${cacheDir}`, target.storeDir);

      const result = await substitute({ store: target, caches: [cache], paths: wanted, trustedKeys: [parsePublicKey(TEST_PUBLIC_KEY)], requireSigs: true, pid: PID, now: NOW });

      const theirs = nixPathInfos(nixStore, wanted);
      expect(result.substituted.sort()).toEqual([...theirs.keys()].sort());
      for (const path of result.substituted) {
        const info = await target.requireInfo(path);
        expectSameAsNix(info, theirs.get(path));
        expect(hashPath(target.location.physical(path)).narHash.equals(info.narHash)).toBe(true);
        const narInfo = await cache.narInfo(path);
        expect(narInfo?.compression).toBe(compression);
        if (compression === 'none') expect(verifyPathInfoSignatures(info, narInfo?.sigs ?? [], [parsePublicKey(TEST_PUBLIC_KEY)])).toBe(true);
      }
    });

    it('holds exactly the files genledger writes for the same paths, uncompressed and signed', async () => {
      const ours = chrootStore(join(temp.path, 'ours-same'));
      for (const name of ['hello.txt', 'run.sh', 'pkga-1.0', 'pkgb-2.0']) await addFixture(ours, name, temp.path);
      await addFlatFile(ours, 'text', 'ref2.txt', `${RUN_SH} ${HELLO}\n`, [HELLO, RUN_SH]);
      const ourCache = join(temp.path, 'ours-same-cache');
      await writeBinaryCache({ store: ours, paths: await ours.closure(wanted), dir: ourCache, secretKey: parseSecretKey(TEST_SECRET_KEY) });

      const nixCache = join(temp.path, 'nix-cache-to-compare');
      nixOk('nix', ['copy', '--store', nixStore, '--to', `file://${nixCache}?compression=none&secret-key=${keyFile}`, ...wanted]);
      const files = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
      expect(files(ourCache)).toEqual(files(nixCache));
      for (const file of files(nixCache).filter((name) => name.endsWith('.narinfo') || name.endsWith('.nar') || name === 'nix-cache-info')) {
        expect(readFileSync(join(ourCache, file)).equals(readFileSync(join(nixCache, file))), file).toBe(true);
      }
    });
  });
});
