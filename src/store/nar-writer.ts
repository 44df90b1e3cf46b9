/**
 * NAR serialisation of a real file-system path (spec 3.3), streamed: file
 * contents are read in buffer-sized pieces straight into the encoder, so no
 * file and no NAR is ever whole in memory. Symlinks are never followed (the
 * walk uses lstat/dirent types and opens files with O_NOFOLLOW); only
 * regular files, directories and symlinks are allowed; a file is executable
 * iff its owner-execute bit is set; names and link targets are raw bytes, so
 * names that are not UTF-8 survive, and entries are sorted byte-wise.
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
    const root = Buffer.from(path.replace(/(.)\/+$/, '$1'));
    new PathDumper(encoder, root.length, mirror).node(root, kindOfStats(lstatSync(root), root));
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

class PathDumper {
  constructor(
    private readonly encoder: NarEncoder,
    private readonly rootLength: number,
    private readonly mirror: TreeMirror | undefined,
  ) {}

  node(path: Buffer, kind: Kind): void {
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

  private directory(path: Buffer): void {
    const entries = readdirSync(path, { withFileTypes: true, encoding: 'buffer' });
    entries.sort((a, b) => Buffer.compare(a.name, b.name));
    this.mirror?.directory(this.relative(path));
    this.encoder.directoryStart();
    for (const entry of entries) {
      const child = Buffer.concat([path, SLASH, entry.name]);
      this.encoder.entryStart(entry.name);
      this.node(child, kindOfDirent(entry, child));
      this.encoder.entryEnd();
    }
    this.encoder.directoryEnd();
    this.mirror?.directoryDone(this.relative(path));
  }

  private regular(path: Buffer): void {
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
          copy?.write(target.subarray(offset, offset + got));
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

  private relative(path: Buffer): Buffer {
    return path.subarray(this.rootLength);
  }
}

function kindOfStats(stats: Stats, path: Buffer): Kind {
  if (stats.isFile()) return 'regular';
  if (stats.isDirectory()) return 'directory';
  if (stats.isSymbolicLink()) return 'symlink';
  throw unsupported(path);
}

function kindOfDirent(entry: Dirent<Buffer>, path: Buffer): Kind {
  if (entry.isFile()) return 'regular';
  if (entry.isDirectory()) return 'directory';
  if (entry.isSymbolicLink()) return 'symlink';
  throw unsupported(path);
}

function unsupported(path: Buffer): Error {
  return refused(
    'GENLEDGER_UNSUPPORTED_FILE_TYPE',
    `file '${path.toString()}' has an unsupported type`,
    'only regular files, directories and symlinks can be stored',
  );
}
