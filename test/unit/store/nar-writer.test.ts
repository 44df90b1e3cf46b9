import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpPath, hashPath, narBytesOfPath } from '../../../src/store/nar-writer.js';
import { FIXTURES, NAR_VECTORS, makeTempDir, writeTree } from './helpers.js';

describe('dumpPath / hashPath', () => {
  const temp = makeTempDir('nar-writer');
  const fixture = (name: string): string => join(temp.path, 'fx', name);

  beforeAll(() => {
    mkdirSync(join(temp.path, 'fx'));
    for (const [name, node] of Object.entries(FIXTURES)) writeTree(node, fixture(name));
  });
  afterAll(() => temp.cleanup());

  it.each(NAR_VECTORS)('gives the NAR size and hash Nix gives for %s (spec 13.2)', (name, size, hex, nix32, sri) => {
    const { narHash, narSize } = hashPath(fixture(name));
    expect(narSize).toBe(size);
    expect(narHash.toHex()).toBe(hex);
    expect(narHash.toNix32()).toBe(nix32);
    expect(narHash.toSRI()).toBe(sri);
  });

  it('writes the byte-level NAR of F1 given in spec 3.6', () => {
    const expected = [
      '0d00000000000000', '6e69782d61726368', '6976652d31000000',
      '0100000000000000', '2800000000000000',
      '0400000000000000', '7479706500000000',
      '0700000000000000', '726567756c617200',
      '0800000000000000', '636f6e74656e7473',
      '0c00000000000000', '48656c6c6f2c204e', '6978210a00000000',
      '0100000000000000', '2900000000000000',
    ].join('');
    expect(narBytesOfPath(fixture('hello.txt')).toString('hex')).toBe(expected);
  });

  it('marks a file executable by the owner-execute bit alone', () => {
    const path = join(temp.path, 'modes');
    mkdirSync(path);
    writeFileSync(join(path, 'group-x'), 'x');
    chmodSync(join(path, 'group-x'), 0o654);
    writeFileSync(join(path, 'owner-x'), 'x');
    chmodSync(join(path, 'owner-x'), 0o744);
    const text = narBytesOfPath(path).toString('latin1');
    expect(text.match(/executable/g)).toHaveLength(1);
    expect(text.indexOf('executable')).toBeGreaterThan(text.indexOf('owner-x'));
  });

  it('records a symlink as a symlink, never following it', () => {
    const path = join(temp.path, 'link-to-tree');
    symlinkSync(fixture('tree'), path);
    const bytes = narBytesOfPath(path).toString('latin1');
    expect(bytes).toContain('symlink');
    expect(bytes).toContain(fixture('tree'));
    expect(bytes).not.toContain('directory');
  });

  it('treats a trailing slash as Nix does: link/ is still the symlink', () => {
    const path = join(temp.path, 'link-with-slash');
    symlinkSync(fixture('tree'), path);
    expect(narBytesOfPath(`${path}/`).equals(narBytesOfPath(path))).toBe(true);
    expect(hashPath(`${fixture('tree')}//`).narHash.toHex()).toBe(NAR_VECTORS[4][2]);
  });

  it('sorts entries by bytes and keeps names that are not UTF-8', () => {
    const path = join(temp.path, 'raw-names');
    mkdirSync(path);
    const latin1 = Buffer.from([0x66, 0xe9]);
    writeFileSync(Buffer.concat([Buffer.from(`${path}/`), latin1]), '');
    writeFileSync(join(path, 'fz'), '');
    writeFileSync(join(path, 'F'), '');
    const bytes = narBytesOfPath(path);
    const order = ['F', 'fz'].map((name) => bytes.indexOf(Buffer.from(name))).concat(bytes.indexOf(latin1));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order.every((at) => at > 0)).toBe(true);
  });

  it('sorts names by their UTF-8 bytes where UTF-16 order differs', () => {
    const path = join(temp.path, 'astral-names');
    mkdirSync(path);
    const fullwidth = '\uFF21';
    const astral = '\u{1F600}';
    for (const name of [astral, fullwidth, 'z']) writeFileSync(join(path, name), name);
    const bytes = narBytesOfPath(path);
    const at = (name: string) => bytes.indexOf(Buffer.from(name));
    expect(at('z')).toBeLessThan(at(fullwidth));
    expect(at(fullwidth)).toBeLessThan(at(astral));
  });

  it('streams a large file in bounded chunks and hashes it like the whole NAR', () => {
    const path = join(temp.path, 'large.bin');
    const contents = Buffer.alloc(3 * 1024 * 1024 + 5, 7);
    writeFileSync(path, contents);
    let largest = 0;
    const whole = createHash('sha256');
    const size = dumpPath(path, (chunk) => {
      largest = Math.max(largest, chunk.length);
      whole.update(chunk);
    });
    expect(largest).toBeLessThanOrEqual(64 * 1024);
    expect(size).toBe(hashPath(path).narSize);
    expect(whole.digest('hex')).toBe(hashPath(path).narHash.toHex());
    expect(size).toBe(112 + contents.length + 3);
  });

  it('refuses a file that is not a regular file, directory or symlink', () => {
    const path = join(temp.path, 'with-fifo');
    mkdirSync(path);
    try {
      execFileSync('mkfifo', [join(path, 'pipe')]);
    } catch {
      return;
    }
    expect(() => hashPath(path)).toThrow(
      expect.objectContaining({ code: 'GENLEDGER_UNSUPPORTED_FILE_TYPE', message: `file '${path}/pipe' has an unsupported type` }),
    );
  });

  it('reports a missing path with a typed error, not a raw ENOENT', () => {
    const path = join(temp.path, 'missing');
    expect(() => hashPath(path)).toThrow(
      expect.objectContaining({ code: 'GENLEDGER_PATH_NOT_FOUND', message: `path '${path}' does not exist` }),
    );
  });

  it('hands an extra sink the same chunks it hashes', () => {
    const chunks: Buffer[] = [];
    const digest = hashPath(fixture('tree'), (chunk) => chunks.push(Buffer.from(chunk)));
    expect(createHash('sha256').update(Buffer.concat(chunks)).digest('hex')).toBe(digest.narHash.toHex());
  });
});
