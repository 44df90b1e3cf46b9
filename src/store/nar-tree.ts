/**
 * NAR serialisation of an in-memory `NarNode` tree, so a profile's NAR hash
 * (and so its store path) is known before anything is written to disk. The
 * bytes are exactly those `dumpPath` produces for the same tree on disk:
 * entries in UTF-8 byte order, whatever order the map holds them in.
 */

import { refused } from '../errors.js';
import { digestNar } from './nar-digest.js';
import type { NarDigest } from './nar-digest.js';
import { NarEncoder } from './nar-encoder.js';
import type { NarSink } from './nar-encoder.js';
import { entryNameTextProblem } from './nar-entry-name.js';
import type { NarNode } from './nar-node.js';

/** Streams the NAR of `node` into `sink` and returns its size. Chunks are only valid during the call. */
export function dumpTree(node: NarNode, sink: NarSink): number {
  const encoder = new NarEncoder(sink);
  encodeNode(encoder, node, []);
  encoder.end();
  return encoder.size;
}

export function narHashOfTree(node: NarNode): NarDigest {
  return digestNar((sink) => dumpTree(node, sink));
}

export function narBytesOfTree(node: NarNode): Buffer {
  const chunks: Buffer[] = [];
  dumpTree(node, (chunk) => chunks.push(Buffer.from(chunk)));
  return Buffer.concat(chunks);
}

/** `names` is the path from the root, kept as a stack so only an error pays for joining it. */
function encodeNode(encoder: NarEncoder, node: NarNode, names: string[]): void {
  switch (node.type) {
    case 'regular':
      encoder.regularStart(node.executable, node.contents.length);
      encoder.contents(node.contents);
      encoder.regularEnd(node.contents.length);
      return;
    case 'symlink':
      encoder.symlink(node.target);
      return;
    case 'directory':
      encoder.directoryStart();
      for (const name of sortedUtf8([...node.entries.keys()])) {
        const child = node.entries.get(name) as NarNode;
        const problem = entryNameTextProblem(name);
        if (problem !== undefined) {
          throw refused('GENLEDGER_BAD_ENTRY_NAME', `tree directory '/${names.join('/')}' has ${problem}`);
        }
        encoder.entryStart(name);
        names.push(name);
        encodeNode(encoder, child, names);
        names.pop();
        encoder.entryEnd();
      }
      encoder.directoryEnd();
      return;
    default:
      return assertNever(node);
  }
}

/** Surrogates and U+E000..U+FFFF: the only UTF-16 code units whose order differs from UTF-8 byte order. */
const outOfByteOrder = /[\ud800-\uffff]/;

/**
 * Sorts strings into UTF-8 byte order, in place. Where no string has a
 * UTF-16 unit at or above U+D800 the engine's own order is the same and
 * several times faster, which matters for directories of 40,000 entries.
 */
export function sortedUtf8(names: string[]): string[] {
  return names.some((name) => outOfByteOrder.test(name)) ? names.sort(compareUtf8) : names.sort();
}

/** The same for items named by `nameOf`, such as directory entries. */
export function sortByUtf8<T>(items: T[], nameOf: (item: T) => string): T[] {
  if (items.some((item) => outOfByteOrder.test(nameOf(item)))) return items.sort((a, b) => compareUtf8(nameOf(a), nameOf(b)));
  return items.sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : 1));
}

/**
 * Orders strings by their UTF-8 bytes (= code point order). JavaScript's own
 * order compares UTF-16 units and puts U+E000..U+FFFF after astral characters;
 * shifting surrogates above that range restores code point order.
 */
export function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

function assertNever(value: never): never {
  throw new Error(`unexpected NAR node ${JSON.stringify(value)}`);
}
