/**
 * NAR serialisation of a real file-system path (spec 3.3), streamed: file
 * contents are read in buffer-sized pieces straight into the encoder, so no
 * file and no NAR is ever whole in memory. Symlinks are never followed (the
 * walk uses lstat/dirent types and opens files with O_NOFOLLOW); only
 * regular files, directories and symlinks are allowed; a file is executable
 * iff its owner-execute bit is set; entries are sorted byte-wise, and names
 * that are not UTF-8 and all link targets are handled as raw bytes, so they
 * survive unchanged.
 *
 * An optional `TreeMirror` sees the same walk (and the very bytes that were
 * hashed), so `store add` copies a tree and hashes the copy in one pass.
 */

import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, readdirSync, readlinkSync } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { refused } from '../errors.js';
import { fileSystemError, pathChanged } from './file-system-error.js';
import { digestNar } from './nar-digest.js';
import type { NarDigest } from './nar-digest.js';
import { NarEncoder } from './nar-encoder.js';
import type { NarSink } from './nar-encoder.js';
import { sortByUtf8 } from './nar-tree.js';
import type { TreeMirror } from './tree-mirror.js';

type Kind = 'regular' | 'directory' | 'symlink';

const SLASH = Buffer.from('/');
const OWNER_EXECUTE = 0o100;
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Streams the NAR of `path` into `sink` and returns the NAR size. Chunks are
 * only valid during the call (the buffer is reused): copy to keep them.
 * Trailing slashes are dropped first, as Nix canonicalises the path, so
 * `link/` is the symlink itself, not the directory it points to.
 */
export function dumpPath(path: string, sink: NarSink, mirror?: TreeMirror): number {
  const encoder = new NarEncoder(sink);
  try {
    const root = path.replace(/(.)\/+$/, '$1');
    new PathDumper(encoder, root, mirror).node(root, kindOfStats(lstatSync(root), root));
  } catch (error) {
    throw fileSystemError(error, path);
  }
  encoder.end();
  return encoder.size;
}

/** The NAR hash and size of `path`; `also` sees the same chunks (e.g. a `ReferenceScanner`'s `feed`). */
export function hashPath(path: string, also?: NarSink, mirror?: TreeMirror): NarDigest {
  return digestNar((sink) => dumpPath(path, sink, mirror), also);
}

export function narBytesOfPath(path: string): Buffer {
  const chunks: Buffer[] = [];
  dumpPath(path, (chunk) => chunks.push(Buffer.from(chunk)));
  return Buffer.concat(chunks);
}

/**
 * A path as the walk holds it: text while every name on the way is UTF-8
 * (the common case, and much cheaper to join, sort and pass to the system),
 * raw bytes below a directory holding a name that is not.
 */
type WalkPath = string | Buffer;

class PathDumper {
  private readonly rootBytes: number;

  constructor(
    private readonly encoder: NarEncoder,
    private readonly root: string,
    private readonly mirror: TreeMirror | undefined,
  ) {
    this.rootBytes = Buffer.byteLength(root);
  }

  node(path: WalkPath, kind: Kind): void {
    switch (kind) {
      case 'regular':
        this.regular(path);
        return;
      case 'symlink': {
        const target = readlinkSync(path, { encoding: 'buffer' });
        this.encoder.symlink(target);
        this.mirror?.symlink(this.relative(path), target);
        return;
      }
      case 'directory':
        this.directory(path);
        return;
    }
  }

  private directory(path: WalkPath): void {
    const entries = sortedEntries(path);
    this.mirror?.directory(this.relative(path));
    this.encoder.directoryStart();
    for (const entry of entries) {
      const child = childPath(path, entry.name);
      this.encoder.entryStart(entry.name);
      this.node(child, kindOfDirent(entry, child));
      this.encoder.entryEnd();
    }
    this.encoder.directoryEnd();
    this.mirror?.directoryDone(this.relative(path));
  }

  private regular(path: WalkPath): void {
    const fd = openSync(path, OPEN_FLAGS);
    try {
      const stats = fstatSync(fd);
      if (!stats.isFile()) throw pathChanged(path.toString());
      const size = stats.size;
      const executable = (stats.mode & OWNER_EXECUTE) !== 0;
      const copy = this.mirror?.regular(this.relative(path), executable);
      try {
        this.encoder.regularStart(executable, size);
        this.encoder.contentsFrom(size, (target, offset, length) => {
          const got = readSync(fd, target, offset, length, null);
          if (got === 0) throw pathChanged(path.toString());
          copy?.write(target, offset, got);
          return got;
        });
        this.encoder.regularEnd(size);
      } finally {
        copy?.close();
      }
    } finally {
      closeSync(fd);
    }
  }

  private relative(path: WalkPath): WalkPath {
    return typeof path === 'string' ? path.slice(this.root.length) : path.subarray(this.rootBytes);
  }
}

function childPath(directory: WalkPath, name: string | Buffer): WalkPath {
  if (typeof directory === 'string' && typeof name === 'string') return `${directory}/${name}`;
  return Buffer.concat([Buffer.from(directory), SLASH, Buffer.from(name)]);
}

/**
 * The entries of a directory in NAR order, byte-wise by name: as text when
 * every name is UTF-8 (decoding a name that is not gives U+FFFD and names
 * no file), else as raw bytes.
 */
function sortedEntries(directory: WalkPath): Dirent<string>[] | Dirent<Buffer>[] {
  if (typeof directory === 'string') {
    const entries = readdirSync(directory, { withFileTypes: true });
    if (!entries.some((entry) => entry.name.includes('\uFFFD'))) return sortByUtf8(entries, (entry) => entry.name);
  }
  return readdirSync(directory, { withFileTypes: true, encoding: 'buffer' }).sort((a, b) => Buffer.compare(a.name, b.name));
}

function kindOfStats(stats: Stats, path: WalkPath): Kind {
  if (stats.isFile()) return 'regular';
  if (stats.isDirectory()) return 'directory';
  if (stats.isSymbolicLink()) return 'symlink';
  throw unsupported(path);
}

function kindOfDirent(entry: Dirent<string> | Dirent<Buffer>, path: WalkPath): Kind {
  if (entry.isFile()) return 'regular';
  if (entry.isDirectory()) return 'directory';
  if (entry.isSymbolicLink()) return 'symlink';
  throw unsupported(path);
}

function unsupported(path: WalkPath): Error {
  return refused(
    'GENLEDGER_UNSUPPORTED_FILE_TYPE',
    `file '${path.toString()}' has an unsupported type`,
    'only regular files, directories and symlinks can be stored',
  );
}
