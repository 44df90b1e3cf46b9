/**
 * A strict NAR parser (spec 3.2, 3.4). It accepts exactly the canonical
 * archives `dumpPath` writes: the magic, then one node whose fields come in
 * the grammar's order, zero padding, `executable` followed by an empty
 * string, entry names that are safe (non-empty, not `.`/`..`, no `/` or
 * NUL) and strictly increasing byte-wise in each directory, and nothing
 * after the top node. So parsing and re-serialising gives the same bytes,
 * and a NAR's hash is always the hash of the tree it restores to.
 *
 * Lengths are bounded (names 255 bytes, symlink targets 4095, nesting 1024
 * directories) and checked against the input before anything is read, so a
 * hostile archive fails with `GENLEDGER_NAR_INVALID`, not a RangeError or
 * an allocation of its choosing. Events go to a visitor, which validates and
 * hashes, or restores (`nar-restore.ts`).
 */

import { digestNar } from './nar-digest.js';
import type { NarDigest } from './nar-digest.js';
import { NAR_MAGIC } from './nar-encoder.js';
import type { NarSink } from './nar-encoder.js';
import { entryNameProblem } from './nar-entry-name.js';
import { NarSource } from './nar-source.js';
import type { NarInput } from './nar-source.js';

export type { NarInput } from './nar-source.js';

/** Parse events in archive order. Buffers handed to `contents` are valid only during the call. */
export interface NarVisitor {
  regularStart(executable: boolean, size: number): void;
  contents(chunk: Uint8Array): void;
  regularEnd(): void;
  symlink(target: Buffer): void;
  directoryStart(): void;
  entryStart(name: Buffer): void;
  entryEnd(): void;
  directoryEnd(): void;
}

const MAX_TAG_BYTES = 16;
const MAX_NAME_BYTES = 255;
const MAX_TARGET_BYTES = 4095;
const MAX_DEPTH = 1024;

/**
 * Parses `input`, sending events to `visitor`, and returns the NAR size.
 * `raw` receives the input chunks as they are consumed.
 */
export function parseNar(input: NarInput, visitor: Partial<NarVisitor> = {}, raw?: NarSink): number {
  const source = new NarSource(input, raw);
  const magic = source.takeUpTo(NAR_MAGIC.length);
  if (!magic.equals(NAR_MAGIC.subarray(0, magic.length))) throw source.invalid('bad magic, not a Nix archive');
  if (magic.length < NAR_MAGIC.length) throw source.truncated();
  parseNode(source, visitor, 0);
  if (!source.atEnd()) throw source.invalid('unexpected bytes after the archive');
  return source.offset;
}

/** Checks that `input` is a valid NAR and returns its hash and size, in one pass. */
export function validateNar(input: NarInput, visitor: Partial<NarVisitor> = {}): NarDigest {
  return digestNar((sink) => parseNar(input, visitor, sink));
}

function parseNode(source: NarSource, visitor: Partial<NarVisitor>, depth: number): void {
  expect(source, '(');
  expect(source, 'type');
  const type = tag(source);
  switch (type) {
    case 'regular':
      parseRegular(source, visitor);
      return;
    case 'symlink': {
      expect(source, 'target');
      const target = source.string(MAX_TARGET_BYTES, 'a symlink target');
      if (target.length === 0) throw source.invalid('a symlink target is empty');
      if (target.includes(0)) throw source.invalid('a symlink target contains a NUL byte');
      visitor.symlink?.(target);
      expect(source, ')');
      return;
    }
    case 'directory':
      if (depth === MAX_DEPTH) throw source.invalid(`directories are nested deeper than ${MAX_DEPTH} levels`);
      parseDirectory(source, visitor, depth);
      return;
    default:
      throw source.invalid(`unknown node type ${JSON.stringify(type)}`);
  }
}

function parseRegular(source: NarSource, visitor: Partial<NarVisitor>): void {
  let field = tag(source);
  const executable = field === 'executable';
  if (executable) {
    if (source.u64() !== 0) throw source.invalid("'executable' is not followed by an empty string");
    field = tag(source);
  }
  if (field !== 'contents') throw source.invalid(`expected 'contents', found ${JSON.stringify(field)}`);
  const size = source.u64();
  visitor.regularStart?.(executable, size);
  source.stream(size, (chunk) => visitor.contents?.(chunk));
  source.padding(size);
  visitor.regularEnd?.();
  expect(source, ')');
}

function parseDirectory(source: NarSource, visitor: Partial<NarVisitor>, depth: number): void {
  visitor.directoryStart?.();
  let previous: Buffer | undefined;
  for (let field = tag(source); field !== ')'; field = tag(source)) {
    if (field !== 'entry') throw source.invalid(`expected 'entry' or ')', found ${JSON.stringify(field)}`);
    expect(source, '(');
    expect(source, 'name');
    const name = source.string(MAX_NAME_BYTES, 'an entry name');
    const problem = entryNameProblem(name);
    if (problem !== undefined) throw source.invalid(problem);
    if (previous !== undefined && Buffer.compare(previous, name) >= 0) {
      throw source.invalid('NAR directory is not sorted');
    }
    previous = name;
    expect(source, 'node');
    visitor.entryStart?.(name);
    parseNode(source, visitor, depth + 1);
    visitor.entryEnd?.();
    expect(source, ')');
  }
  visitor.directoryEnd?.();
}

function tag(source: NarSource): string {
  return source.text(MAX_TAG_BYTES, 'a tag');
}

function expect(source: NarSource, token: string): void {
  const found = tag(source);
  if (found !== token) throw source.invalid(`expected '${token}', found ${JSON.stringify(found)}`);
}
