import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreNar } from '../../../src/store/nar-restore.js';
import { narBytesOfTree, narHashOfTree } from '../../../src/store/nar-tree.js';
import { hashPath } from '../../../src/store/nar-writer.js';
import { NAR_VECTORS, fixtureTree, makeTempDir, nar, randomTree, seededRandom, str } from './helpers.js';

function inChunks(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

describe('restoreNar', () => {
  const temp = makeTempDir('nar-restore');
  let serial = 0;
  const fresh = (): string => join(temp.path, `out-${serial++}`);
  afterAll(() => temp.cleanup());

  it.each(NAR_VECTORS)('restores %s to a tree whose NAR is the same (spec 13.2)', (name, size, hex) => {
    const destination = fresh();
    const digest = restoreNar(narBytesOfTree(fixtureTree(name)), destination);
    expect(digest.narSize).toBe(size);
    expect(digest.narHash.toHex()).toBe(hex);
    expect(hashPath(destination).narHash.toHex()).toBe(hex);
  });

  it('lays files out as the store does: 0444, 0555 if executable, directories 0555, mtime 1', () => {
    const destination = fresh();
    restoreNar(narBytesOfTree(fixtureTree('tree')), destination);
    const mode = (path: string) => lstatSync(join(destination, path)).mode & 0o7777;
    expect(mode('a.txt')).toBe(0o444);
    expect(mode('bin/tool')).toBe(0o555);
    expect(mode('bin')).toBe(0o555);
    expect(mode('.')).toBe(0o555);
    expect(readlinkSync(join(destination, 'lnk'))).toBe('a.txt');
    for (const path of ['.', 'a.txt', 'lnk', 'sub/deeper']) expect(lstatSync(join(destination, path)).mtimeMs).toBe(1000);
  });

  it('restores from a stream of chunks as from one buffer', () => {
    const bytes = narBytesOfTree(fixtureTree('pkga-1.0'));
    const destination = fresh();
    restoreNar(inChunks(bytes, 5), destination);
    expect(hashPath(destination).narHash.toHex()).toBe(NAR_VECTORS[5][2]);
  });

  it('restores 50 random trees (seeded) to trees that hash as the in-memory tree does', () => {
    const random = seededRandom(5050);
    for (let i = 0; i < 50; i++) {
      const tree = randomTree(random);
      const destination = fresh();
      restoreNar(narBytesOfTree(tree), destination);
      expect(hashPath(destination).narHash.equals(narHashOfTree(tree).narHash)).toBe(true);
    }
  });

  it('refuses a destination that exists, even as a dangling symlink, and writes nothing through it', () => {
    const existing = fresh();
    mkdirSync(existing);
    expect(() => restoreNar(narBytesOfTree(fixtureTree('tree')), existing)).toThrow(
      expect.objectContaining({ code: 'GENLEDGER_PATH_EXISTS' }),
    );
    expect(readdirSync(existing)).toEqual([]);
    const dangling = fresh();
    const target = join(temp.path, 'must-not-appear');
    symlinkSync(target, dangling);
    expect(() => restoreNar(narBytesOfTree(fixtureTree('hello.txt')), dangling)).toThrow(
      expect.objectContaining({ code: 'GENLEDGER_PATH_EXISTS' }),
    );
    expect(existsSync(target)).toBe(false);
  });

  it('removes the partial tree when the archive turns out to be invalid half-way', () => {
    const bytes = narBytesOfTree(fixtureTree('tree'));
    for (const cut of [200, 900, bytes.length - 8]) {
      const destination = fresh();
      expect(() => restoreNar(bytes.subarray(0, cut), destination)).toThrow(
        expect.objectContaining({ code: 'GENLEDGER_NAR_INVALID' }),
      );
      expect(existsSync(destination)).toBe(false);
    }
  });

  it('never creates anything outside the destination for hostile names', () => {
    const outside = join(temp.path, 'escaped');
    for (const name of ['..', '../escaped', '/tmp/escaped', 'a\0b']) {
      const destination = fresh();
      const hostile = nar('nix-archive-1', '(', 'type', 'directory', 'entry', '(', 'name', str(name), 'node',
        '(', 'type', 'regular', 'contents', str('x'), ')', ')', ')');
      expect(() => restoreNar(hostile, destination)).toThrow(expect.objectContaining({ code: 'GENLEDGER_NAR_INVALID' }));
      expect(existsSync(destination)).toBe(false);
    }
    expect(existsSync(outside)).toBe(false);
  });

  it('reports a missing parent directory as a typed error', () => {
    const destination = join(temp.path, 'no-such-parent', 'x');
    expect(() => restoreNar(narBytesOfTree(fixtureTree('hello.txt')), destination)).toThrow(
      expect.objectContaining({ code: 'GENLEDGER_PATH_NOT_FOUND' }),
    );
  });

  it('writes a large file from 64 KiB chunks', () => {
    const tree = { type: 'regular', executable: false, contents: Buffer.alloc(1024 * 1024 + 3, 9) } as const;
    const destination = fresh();
    restoreNar(inChunks(narBytesOfTree(tree), 64 * 1024), destination);
    expect(lstatSync(destination).size).toBe(tree.contents.length);
    expect(hashPath(destination).narHash.equals(narHashOfTree(tree).narHash)).toBe(true);
  });
});
