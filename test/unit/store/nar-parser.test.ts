import { describe, expect, it } from 'vitest';
import { isGenledgerError } from '../../../src/errors.js';
import type { NarNode } from '../../../src/store/nar-node.js';
import { parseNar, validateNar } from '../../../src/store/nar-parser.js';
import type { NarInput, NarVisitor } from '../../../src/store/nar-parser.js';
import { narBytesOfTree } from '../../../src/store/nar-tree.js';
import { NAR_VECTORS, directory, fixtureTree, nar, randomTree, regular, seededRandom, str, u64 } from './helpers.js';

/** Rebuilds the tree a NAR describes, through the visitor interface. */
function treeOf(input: NarInput): NarNode {
  const stack: { name: string; entries: Map<string, NarNode> }[] = [];
  let root: NarNode | undefined;
  let file: { executable: boolean; chunks: Buffer[] } | undefined;
  let name = '';
  const place = (node: NarNode): void => {
    const parent = stack[stack.length - 1];
    if (parent === undefined) root = node;
    else parent.entries.set(name, node);
  };
  const visitor: NarVisitor = {
    regularStart: (executable) => (file = { executable, chunks: [] }),
    contents: (chunk) => file?.chunks.push(Buffer.from(chunk)),
    regularEnd: () => place(regular(Buffer.concat(file?.chunks ?? []), file?.executable)),
    symlink: (target) => place({ type: 'symlink', target: target.toString() }),
    directoryStart: () => stack.push({ name, entries: new Map() }),
    entryStart: (entryName) => (name = entryName.toString()),
    entryEnd: () => undefined,
    directoryEnd: () => {
      const done = stack.pop();
      if (done === undefined) return;
      name = done.name;
      place(directory(done.entries));
    },
  };
  parseNar(input, visitor);
  if (root === undefined) throw new Error('no root');
  return root;
}

function chunksOf(bytes: Buffer, random: () => number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = Math.floor(random() * 40);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

function* byteByByte(bytes: Buffer): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at++) yield bytes.subarray(at, at + 1);
}

const invalid = (message?: string | RegExp) =>
  expect.objectContaining({
    code: 'GENLEDGER_NAR_INVALID',
    exitCode: 4,
    ...(message === undefined ? {} : { message: expect.stringMatching(message) }),
  });

const MAGIC = 'nix-archive-1';
const file = (contents: string) => ['(', 'type', 'regular', 'contents', str(contents), ')'];
const entry = (name: string | Buffer, ...node: (string | Buffer)[]) => ['entry', '(', 'name', str(name), 'node', ...node, ')'];
const dir = (...entries: (string | Buffer)[][]) => nar(MAGIC, '(', 'type', 'directory', ...entries.flat(), ')');

describe('parseNar: valid archives', () => {
  it.each(NAR_VECTORS)('validates %s and gives its spec 13.2 hash and size', (name, size, hex) => {
    const bytes = narBytesOfTree(fixtureTree(name));
    const digest = validateNar(bytes);
    expect(digest.narSize).toBe(size);
    expect(digest.narHash.toHex()).toBe(hex);
    expect(narBytesOfTree(treeOf(bytes)).equals(bytes)).toBe(true);
  });

  it('round-trips random trees, read whole or in random chunks (some empty)', () => {
    const random = seededRandom(3402);
    for (let i = 0; i < 50; i++) {
      const bytes = narBytesOfTree(randomTree(random));
      expect(narBytesOfTree(treeOf(bytes)).equals(bytes)).toBe(true);
      expect(narBytesOfTree(treeOf(chunksOf(bytes, random))).equals(bytes)).toBe(true);
      expect(validateNar(chunksOf(bytes, random)).narHash.equals(validateNar(bytes).narHash)).toBe(true);
    }
  });

  it('accepts directories nested 1024 deep and refuses 1025', () => {
    const nested = (levels: number): NarNode => {
      let node = directory();
      for (let i = 1; i < levels; i++) node = directory({ d: node });
      return node;
    };
    expect(() => validateNar(narBytesOfTree(nested(1024)))).not.toThrow();
    expect(() => validateNar(narBytesOfTree(nested(1025)))).toThrow(invalid(/nested deeper than 1024/));
  });
});

describe('parseNar: hostile and broken archives', () => {
  const valid = narBytesOfTree(fixtureTree('tree'));

  it('refuses every truncation of a valid archive, whole or streamed byte by byte', () => {
    for (let length = 0; length < valid.length; length++) {
      const prefix = valid.subarray(0, length);
      expect(() => parseNar(prefix), `prefix of ${length} bytes`).toThrow(invalid());
      expect(() => parseNar(byteByByte(prefix)), `streamed prefix of ${length} bytes`).toThrow(invalid());
    }
  });

  it('refuses bytes after the archive', () => {
    expect(() => validateNar(Buffer.concat([valid, Buffer.alloc(8)]))).toThrow(invalid(/unexpected bytes after the archive/));
  });

  it.each([
    ['bad magic', nar('nix-archive-2', ...file('x')), /bad magic/],
    ['a gzip header instead of the magic', Buffer.from('1f8b0800000000000003cbc82c4b4d2d', 'hex'), /bad magic/],
    ['non-zero padding in a string', Buffer.concat([nar(MAGIC, '(', 'type').subarray(0, -4), Buffer.from([0, 0, 0, 1])]), /padding bytes are not zero/],
    ['non-zero padding after contents', nar(MAGIC, '(', 'type', 'regular', 'contents', u64(1), Buffer.from('x\0\0\0\0\0\0\x01'), ')'), /padding/],
    ["'executable' followed by a non-empty string", nar(MAGIC, '(', 'type', 'regular', 'executable', 'yes', 'contents', str(''), ')'), /'executable' is not followed by an empty string/],
    ['an unknown node type', nar(MAGIC, '(', 'type', 'fifo', ')'), /unknown node type "fifo"/],
    ['an unknown directory field', dir(['entri', '(']), /expected 'entry' or '\)', found "entri"/],
    ['a regular file without contents', nar(MAGIC, '(', 'type', 'regular', ')'), /expected 'contents'/],
    ['fields out of order', nar(MAGIC, '(', 'type', 'regular', 'contents', str(''), 'executable', '', ')'), /expected '\)'/],
    ['contents longer than the input', nar(MAGIC, '(', 'type', 'regular', 'contents', u64(2 ** 40), ')'), /declares 1099511627776 bytes, but only 16 remain/],
    ['a length beyond 2^53', nar(MAGIC, '(', 'type', 'regular', 'contents', Buffer.from('ffffffffffffffff', 'hex')), /absurdly large/],
    ['a tag of 4 GiB', nar(MAGIC, u64(2 ** 32)), /a tag of 4294967296 bytes is longer than the limit of 16/],
    ['an entry name longer than 255 bytes', dir(entry('n'.repeat(256), ...file(''))), /an entry name of 256 bytes/],
    ['an empty symlink target', nar(MAGIC, '(', 'type', 'symlink', 'target', '', ')'), /symlink target is empty/],
    ['a symlink target with NUL', nar(MAGIC, '(', 'type', 'symlink', 'target', 'a\0b', ')'), /NUL/],
    ["the entry name '..'", dir(entry('..', ...file(''))), /the entry name '\.\.'/],
    ["the entry name '.'", dir(entry('.', ...file(''))), /the entry name '\.'/],
    ['an empty entry name', dir(entry('', ...file(''))), /an empty entry name/],
    ["an entry name with '/'", dir(entry('a/b', ...file(''))), /containing '\/'/],
    ['an entry name with NUL', dir(entry('a\0b', ...file(''))), /NUL byte/],
    ['unsorted entries', dir(entry('b', ...file('')), entry('a', ...file(''))), /NAR directory is not sorted/],
    ['duplicate entries', dir(entry('a', ...file('')), entry('a', ...file(''))), /NAR directory is not sorted/],
    ['entries in UTF-16 rather than byte order', dir(entry('\uFFFD', ...file('')), entry('\u{1F600}', ...file('')), entry('\uFF00', ...file(''))), /not sorted/],
  ])('refuses %s', (_what, bytes, message) => {
    expect(() => validateNar(bytes)).toThrow(invalid(message));
  });

  it('fails only with GENLEDGER_NAR_INVALID on randomly corrupted archives, never with a raw error', () => {
    const random = seededRandom(99);
    for (let round = 0; round < 500; round++) {
      const bytes = Buffer.from(valid);
      for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) {
        bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      }
      try {
        validateNar(bytes);
      } catch (error) {
        expect(isGenledgerError(error) && error.code).toBe('GENLEDGER_NAR_INVALID');
      }
    }
  });
});
