import { describe, expect, it } from 'vitest';
import { Hash } from '../../../src/store/hash.js';
import { narBytesOfTree, narHashOfTree } from '../../../src/store/nar-tree.js';
import { StoreDir, checkStorePathName } from '../../../src/store/store-path.js';
import { NAR_VECTORS, fixtureTree, regular } from './helpers.js';

const store = new StoreDir('/nix/store');
const HELLO = '/nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt';
const RUN_SH = '/nix/store/hgl6cwhlhzpznapan2nfnls2nyyv4lqb-run.sh';
const helloBytes = Buffer.from('Hello, Nix!\n');

describe('StoreDir: making paths', () => {
  it.each(NAR_VECTORS)('gives the nix-store --add path of %s (spec 13.2)', (name, _size, hex, _nix32, _sri, path) => {
    expect(store.makeSourcePath(Hash.parse(hex, 'sha256'), [], false, name)).toBe(path);
    expect(store.makeFixedOutputPath('recursive', Hash.parse(hex, 'sha256'), name)).toBe(path);
  });

  it('follows the worked fingerprint example of spec 2.2', () => {
    expect(
      store.makeStorePath('source', 'ede9e56f440358fb368f46ba4bca079ac8f68404363461411bfef48d032eb492', 'hello.txt'),
    ).toBe(HELLO);
  });

  it('gives the flat fixed-output paths of F1 for sha256, sha1 and md5 (spec 13.3)', () => {
    expect(store.makeFixedOutputPath('flat', Hash.of('sha256', helloBytes), 'hello.txt')).toBe(
      '/nix/store/074js36zvzgjcc64qgnl216rlvpy7q65-hello.txt',
    );
    expect(store.makeFixedOutputPath('flat', Hash.of('sha1', helloBytes), 'hello.txt')).toBe(
      '/nix/store/jgj24cnq4hss1j1ky1phqw7nh2kr3gd7-hello.txt',
    );
    expect(store.makeFixedOutputPath('flat', Hash.of('md5', helloBytes), 'hello.txt')).toBe(
      '/nix/store/dcckb3zz95m6pvssqz994d67g53x9g8f-hello.txt',
    );
  });

  it('gives the NAR+sha1 fixed-output path of F5 (spec 13.3)', () => {
    const sha1 = Hash.of('sha1', narBytesOfTree(fixtureTree('tree')));
    expect(store.makeFixedOutputPath('recursive', sha1, 'tree')).toBe('/nix/store/82pr4kaczankbxb2wmha6c9i9czy509r-tree');
  });

  it('gives the text paths of spec 13.3, with references sorted whatever order they come in', () => {
    expect(store.makeTextPath(Hash.of('sha256', 'hello\n'), [], 'note.txt')).toBe(
      '/nix/store/ha42hgz88l4lab3af6k2fgbhxbcgxm2n-note.txt',
    );
    const ref2 = Hash.of('sha256', `${RUN_SH} ${HELLO}\n`);
    expect(ref2.toTyped('nix32')).toBe('sha256:0p8hsczakx3y4kgs5vjkg6vp4dqc63364fxw1d6f4skrl3vnfr47');
    const expected = '/nix/store/pldvghqwd8bk4gnyvxy7p0jqqi4b8zsp-ref2.txt';
    expect(store.makeTextPath(ref2, [RUN_SH, HELLO], 'ref2.txt')).toBe(expected);
    expect(store.makeTextPath(ref2, [HELLO, RUN_SH, HELLO], 'ref2.txt')).toBe(expected);
    expect(narBytesOfTree(regular(`${RUN_SH} ${HELLO}\n`))).toHaveLength(224);
  });

  it('puts references and self into the source type', () => {
    const hash = Hash.of('sha256', 'x');
    const plain = store.makeSourcePath(hash, [], false, 'x');
    const withSelf = store.makeSourcePath(hash, [], true, 'x');
    const withRef = store.makeSourcePath(hash, [HELLO], false, 'x');
    expect(new Set([plain, withSelf, withRef]).size).toBe(3);
    expect(withRef).toBe(store.makeStorePath(`source:${HELLO}`, hash.toHex(), 'x'));
    expect(withSelf).toBe(store.makeStorePath('source:self', hash.toHex(), 'x'));
  });

  it('names a path for the logical store directory, so another store directory gives another path', () => {
    const hash = Hash.parse(NAR_VECTORS[0][2], 'sha256');
    const other = new StoreDir('/home/x/.local/state/genledger/store').makeSourcePath(hash, [], false, 'hello.txt');
    expect(other).toMatch(/^\/home\/x\/\.local\/state\/genledger\/store\/[0-9a-z]{32}-hello\.txt$/);
    expect(other.slice(-42)).not.toBe(HELLO.slice(-42));
  });

  it('refuses a source or text path from a hash other than sha256, and a reference outside the store', () => {
    expect(() => store.makeSourcePath(Hash.of('sha1', 'x'), [], false, 'x')).toThrow(/needs a sha256 hash/);
    expect(() => store.makeTextPath(Hash.of('sha256', 'x'), ['/tmp/x'], 'x')).toThrow(
      expect.objectContaining({ code: 'GENLEDGER_BAD_STORE_PATH' }),
    );
  });

  it('refuses a store directory that is not canonical and absolute', () => {
    for (const bad of ['nix/store', '/nix/store/', '/nix//store', '/nix/./store', '/', '']) {
      expect(() => new StoreDir(bad)).toThrow(expect.objectContaining({ code: 'GENLEDGER_BAD_STORE_DIR' }));
    }
  });
});

describe('store path names', () => {
  const emptyFile = narHashOfTree(regular('')).narHash;

  it("reproduces Nix 2.8's message for an illegal character, hash part included", () => {
    expect(() => store.makeSourcePath(emptyFile, [], false, 'with space')).toThrow(
      expect.objectContaining({
        code: 'GENLEDGER_BAD_STORE_PATH_NAME',
        exitCode: 1,
        message: "store path 'clkq4grg4809v5w831bg9y8yk6z2m1d5-with space' contains illegal character ' '",
      }),
    );
  });

  it('accepts 211 bytes and refuses 212, as 2.8 does', () => {
    expect(store.makeSourcePath(emptyFile, [], false, 'a'.repeat(211))).toHaveLength(255);
    expect(() => store.makeSourcePath(emptyFile, [], false, 'a'.repeat(212))).toThrow(
      /has a name longer than 211 characters$/,
    );
  });

  it.each([
    ['', 'a store path name must not be empty'],
    ['.', "the store path name '.' has the name '.', which is not allowed"],
    ['..', "the store path name '..' has the name '..', which is not allowed"],
    ['.-x', "the store path name '.-x' has a name starting with '.-', which is not allowed"],
    ['..-y', "the store path name '..-y' has a name starting with '..-', which is not allowed"],
    ['a/b', "the store path name 'a/b' contains illegal character '/'"],
    ['caf\u00e9', "the store path name 'caf\u00e9' contains illegal character '\u00e9'"],
  ])('refuses the name %j', (name, message) => {
    expect(() => checkStorePathName(name)).toThrow(expect.objectContaining({ code: 'GENLEDGER_BAD_STORE_PATH_NAME', message }));
  });

  it('accepts every allowed character, and dots that do not form . .. .- ..-', () => {
    for (const name of ['0-9A-Za-z+-._?=', '.hidden', '..x', '.a-b', 'a..-b']) expect(() => checkStorePathName(name)).not.toThrow();
  });
});

describe('StoreDir: reading paths', () => {
  it('splits a store path into hash part and name', () => {
    expect(store.parseStorePath(HELLO)).toEqual({
      hashPart: '2xr781z591fm9c9jchvf8389sr8qsszk',
      name: 'hello.txt',
      baseName: '2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt',
    });
    expect(store.isStorePath(HELLO)).toBe(true);
  });

  it.each([
    ['/nix/store2/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt', 'not in the store'],
    ['/nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt/x', 'inside a store path'],
    ['/nix/store/2xr781z591fm9c9jchvf8389sr8qsszk', 'too short'],
    ['/nix/store/exr781z591fm9c9jchvf8389sr8qsszk-hello.txt', 'invalid hash part'],
    ['/nix/store/2xr781z591fm9c9jchvf8389sr8qsszk_hello.txt', "no '-' after its hash part"],
    ['/nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-with space', "illegal character ' '"],
    ['/nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-..', "has the name '..'"],
    ['/nix/store/2XR781z591fm9c9jchvf8389sr8qsszk-hello.txt', 'invalid hash part'],
  ])('refuses %s', (path, reason) => {
    expect(store.isStorePath(path)).toBe(false);
    expect(() => store.parseStorePath(path)).toThrow(
      expect.objectContaining({ code: 'GENLEDGER_BAD_STORE_PATH', message: expect.stringContaining(reason) }),
    );
  });

  it('finds the store path holding a deeper path', () => {
    expect(store.storePathOf(`${HELLO}/bin/a`)).toBe(HELLO);
    expect(store.storePathOf(HELLO)).toBe(HELLO);
    expect(store.storePathOf(`${HELLO}/`)).toBe(HELLO);
  });

  it.each([
    [`${HELLO}/../../etc/passwd`],
    [`/nix/store/../etc/passwd`],
    [`${HELLO}/./bin`],
    [`${HELLO}//bin`],
    ['/nix/storex/a'],
    ['/etc/passwd'],
    ['nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt'],
  ])('refuses %s as a path inside the store', (path) => {
    expect(() => store.storePathOf(path)).toThrow(expect.objectContaining({ code: 'GENLEDGER_BAD_STORE_PATH' }));
  });
});
