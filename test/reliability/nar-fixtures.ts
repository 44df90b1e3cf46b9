/**
 * NAR archives for the fuzzers: seeded random trees (valid archives to
 * mutate) and a token builder for hand-made hostile ones, whose entries
 * try to climb out of the destination or to reuse a name.
 */
import type { NarNode } from '../../src/store/nar-node.js';
import { int, pick } from './seeded-random.js';
import type { Random } from './seeded-random.js';

const NAMES = ['a', 'b', 'bin', 'lib', 'share', '.hidden', 'x y', 'é', 'README', '10', '9'];
const TARGETS = ['a', '../x', '/etc/passwd', '/nix/store/none', '.', '../../../../etc'];

export function randomTree(random: Random, depth = 0): NarNode {
  const entries = new Map<string, NarNode>();
  for (let count = int(random, depth === 0 ? 6 : 4); count > 0; count--) {
    const roll = random();
    const name = pick(random, NAMES);
    if (roll < 0.5) entries.set(name, { type: 'regular', executable: random() < 0.3, contents: Buffer.from(Array.from({ length: int(random, 40) }, () => int(random, 256))) });
    else if (roll < 0.7) entries.set(name, { type: 'symlink', target: pick(random, TARGETS) });
    else if (depth < 3) entries.set(name, randomTree(random, depth + 1));
  }
  return { type: 'directory', entries };
}

export function u64(value: number | bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(value));
  return bytes;
}

/** A NAR string: length, bytes, zero padding to 8. */
export function str(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([u64(bytes.length), bytes, Buffer.alloc((8 - (bytes.length % 8)) % 8)]);
}

export function nar(...parts: Array<string | Buffer>): Buffer {
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? str(part) : part)));
}

const entry = (name: string | Buffer, ...node: Array<string | Buffer>) => nar('entry', '(', 'name', str(name), 'node', ...node, ')');
const symlinkNode = (target: string) => nar('(', 'type', 'symlink', 'target', target, ')');
const fileNode = (contents: string) => nar('(', 'type', 'regular', 'contents', contents, ')');
const directoryOf = (...entries: Buffer[]) => nar('(', 'type', 'directory', ...entries, ')');
const archive = (root: Buffer) => nar('nix-archive-1', root);

/** Archives that a careless restorer would let write outside its destination. */
export function hostileArchives(outside: string): Record<string, Buffer> {
  return {
    'an entry named ..': archive(directoryOf(entry('..', fileNode('escaped\n')))),
    'an entry named .': archive(directoryOf(entry('.', fileNode('x\n')))),
    'an entry with a slash': archive(directoryOf(entry('a/../../escaped', fileNode('x\n')))),
    'an absolute entry name': archive(directoryOf(entry(`${outside}/escaped`, fileNode('x\n')))),
    'an empty entry name': archive(directoryOf(entry('', fileNode('x\n')))),
    'a NUL in an entry name': archive(directoryOf(entry(Buffer.from('a\0b'), fileNode('x\n')))),
    'a symlink out, then a directory of the same name through it': archive(
      directoryOf(entry('link', symlinkNode(outside)), entry('link', directoryOf(entry('escaped', fileNode('x\n'))))),
    ),
    'a symlink out, then a file of the same name': archive(directoryOf(entry('link', symlinkNode(`${outside}/victim`)), entry('link', fileNode('overwritten\n')))),
    'entries out of order': archive(directoryOf(entry('b', fileNode('b\n')), entry('a', fileNode('a\n')))),
    'a name longer than 255 bytes': archive(directoryOf(entry('n'.repeat(256), fileNode('x\n')))),
    'a file length of 2^63': Buffer.concat([nar('nix-archive-1', '(', 'type', 'regular', 'contents'), u64(2n ** 63n)]),
    'nesting 1100 directories deep': archive(
      Array.from({ length: 1100 }).reduce<Buffer>((inner) => directoryOf(entry('d', inner)), fileNode('deep\n')),
    ),
  };
}
