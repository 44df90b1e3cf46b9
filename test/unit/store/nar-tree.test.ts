import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareUtf8, narBytesOfTree, narHashOfTree, sortByUtf8, sortedUtf8 } from '../../../src/store/nar-tree.js';
import { hashPath, narBytesOfPath } from '../../../src/store/nar-writer.js';
import { StoreDir } from '../../../src/store/store-path.js';
import { NAR_VECTORS, directory, fixtureTree, makeTempDir, regular, seededRandom, randomTree, symlink, writeTree } from './helpers.js';

const PKGA = '/nix/store/vakjq8iw060mbdsy1y8x2ml3l3wx64gr-pkga-1.0';
const PKGB = '/nix/store/l5y46b8p9il518p7jhl4nnsh86xlry98-pkgb-2.0';

/** The 2.8 `nix profile install P1 P2` tree of spec 13.5, with the manifest of spec 7.2. */
const PROFILE = directory({
  share: directory({ doc: directory({ pkgb: symlink(`${PKGB}/share/doc/pkgb`), pkga: symlink(`${PKGA}/share/doc/pkga`) }) }),
  'manifest.json': regular(
    `{"elements":[{"active":true,"storePaths":["${PKGA}"]},{"active":true,"storePaths":["${PKGB}"]}],"version":2}`,
  ),
  bin: directory({ b: symlink(`${PKGB}/bin/b`), a: symlink(`${PKGA}/bin/a`) }),
});

describe('narHashOfTree', () => {
  const temp = makeTempDir('nar-tree');
  afterAll(() => temp.cleanup());

  it.each(NAR_VECTORS)('gives the spec 13.2 NAR of %s from memory', (name, size, hex) => {
    const { narHash, narSize } = narHashOfTree(fixtureTree(name));
    expect(narSize).toBe(size);
    expect(narHash.toHex()).toBe(hex);
  });

  it('gives the 2.8 profile NAR and store path of spec 13.5, whatever order the maps hold', () => {
    const { narHash, narSize } = narHashOfTree(PROFILE);
    expect(narSize).toBe(2000);
    expect(narHash.toTyped('nix32')).toBe('sha256:1240217g0cnfgrzpwq71rxbi3kmc26q6sls1qalb6min1rmq1m8q');
    expect(narHash.toSRI()).toBe('sha256-GNWAaw42VrOowkFTbbARrM4RV8/hYH5/fs4y8E4QgIg=');
    expect(new StoreDir('/nix/store').makeSourcePath(narHash, [PKGB, PKGA], false, 'profile')).toBe(
      '/nix/store/szb20r8nz15vbncgwf5ma0dzdsxaaigv-profile',
    );
  });

  it('matches hashPath of the same tree written to disk, byte for byte', () => {
    const path = join(temp.path, 'profile');
    writeTree(PROFILE, path);
    expect(narBytesOfTree(PROFILE)).toEqual(narBytesOfPath(path));
    expect(narHashOfTree(PROFILE).narHash.equals(hashPath(path).narHash)).toBe(true);
  });

  it('sorts names by UTF-8 bytes like the file system walk, for random trees with non-ASCII names', () => {
    const random = seededRandom(1301);
    mkdirSync(join(temp.path, 'random'));
    for (let i = 0; i < 20; i++) {
      const tree = randomTree(random);
      const path = join(temp.path, 'random', String(i));
      writeTree(tree, path);
      expect(narBytesOfTree(tree)).toEqual(narBytesOfPath(path));
    }
  });

  it('orders astral characters after U+E000..U+FFFF, as their UTF-8 bytes do', () => {
    const names = ['\u{1F600}', '\uFFFD', 'z', 'Z', '\u00e9'];
    const byBytes = [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect([...names].sort(compareUtf8)).toEqual(byBytes);
    expect(byBytes).toEqual(['Z', 'z', '\u00e9', '\uFFFD', '\u{1F600}']);
    expect(sortedUtf8([...names])).toEqual(byBytes);
    expect(sortByUtf8(names.map((name) => ({ name })), (entry) => entry.name).map((entry) => entry.name)).toEqual(byBytes);
  });

  it('sorts names without high units in the engine order, which is their byte order', () => {
    const names = ['b', 'B.txt', '.hidden', 'a.txt', 'bin', '\u00e9t\u00e9', 'a-1', 'a_1'];
    const byBytes = [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(sortedUtf8([...names])).toEqual(byBytes);
    expect(sortByUtf8(names.map((name) => ({ name })), (entry) => entry.name).map((entry) => entry.name)).toEqual(byBytes);
  });

  it.each([['..'], ['.'], [''], ['a/b'], ['nul\0'], ['\uD800']])('refuses the entry name %j', (name) => {
    expect(() => narHashOfTree(directory({ ok: directory(new Map([[name, regular('x')]])) }))).toThrow(
      expect.objectContaining({ code: 'GENLEDGER_BAD_ENTRY_NAME', message: expect.stringContaining("tree directory '/ok' has") }),
    );
  });
});
