/**
 * Restoring a NAR into a new file-system tree, as store contents are laid
 * out: regular files 0444 (0555 when executable), directories 0555, every
 * mtime 1. The destination must not exist yet, and everything is created
 * below it with exclusive creation (O_EXCL, mkdir, symlink all fail on an
 * existing name), so nothing outside is written and no symlink is followed:
 * the parser has already refused names that could climb (`..`, `/`) or
 * repeat, and a symlink is always a leaf. If the archive turns out to be
 * invalid half-way, the partial tree is removed.
 */

import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  futimesSync,
  lutimesSync,
  mkdirSync,
  openSync,
  symlinkSync,
  writeSync,
} from 'node:fs';
import { fileSystemError } from './file-system-error.js';
import type { NarDigest } from './nar-digest.js';
import { validateNar } from './nar-parser.js';
import type { NarInput, NarVisitor } from './nar-parser.js';
import { removeTree } from './remove-tree.js';

const SLASH = Buffer.from('/');
const CANONICAL_TIME = 1;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Restores `nar` at `destination` (whose parent must exist) and returns the
 * archive's hash and size, so the caller can compare them with what it
 * expected and remove the tree on a mismatch.
 */
export function restoreNar(nar: NarInput, destination: string): NarDigest {
  const writer = new TreeWriter(Buffer.from(destination));
  try {
    return validateNar(nar, writer);
  } catch (error) {
    writer.abandon();
    if (writer.createdRoot) removeTree(destination);
    throw fileSystemError(error, destination);
  }
}

class TreeWriter implements NarVisitor {
  createdRoot = false;
  private readonly parents: Buffer[] = [];
  private fd = -1;
  private executable = false;

  /** `current` is the path of the node being restored. */
  constructor(private current: Buffer) {}

  regularStart(executable: boolean): void {
    this.fd = openSync(this.current, CREATE_FLAGS, 0o600);
    this.createdRoot = true;
    this.executable = executable;
  }

  contents(chunk: Uint8Array): void {
    for (let written = 0; written < chunk.length; ) {
      written += writeSync(this.fd, chunk, written, chunk.length - written);
    }
  }

  regularEnd(): void {
    fchmodSync(this.fd, this.executable ? 0o555 : 0o444);
    futimesSync(this.fd, CANONICAL_TIME, CANONICAL_TIME);
    closeSync(this.fd);
    this.fd = -1;
  }

  symlink(target: Buffer): void {
    symlinkSync(target, this.current);
    this.createdRoot = true;
    lutimesSync(this.current, CANONICAL_TIME, CANONICAL_TIME);
  }

  directoryStart(): void {
    mkdirSync(this.current, 0o700);
    this.createdRoot = true;
  }

  entryStart(name: Buffer): void {
    this.parents.push(this.current);
    this.current = Buffer.concat([this.current, SLASH, name]);
  }

  entryEnd(): void {
    this.current = this.parents.pop() ?? this.current;
  }

  directoryEnd(): void {
    chmodSync(this.current, 0o555);
    lutimesSync(this.current, CANONICAL_TIME, CANONICAL_TIME);
  }

  /** Closes a file left open by a failure. */
  abandon(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
