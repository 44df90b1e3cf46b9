/**
 * A copy of a tree made while it is NAR-serialised, in canonical store form:
 * regular files 0444 (0555 when owner-executable), directories 0555 once
 * their entries are in, symlinks verbatim, every mtime 1 (as Nix leaves store
 * contents). Paths handed to the mirror are relative to the root being
 * dumped ('' for the root itself), as text or, for names that are not
 * UTF-8, raw bytes.
 */
import { chmodSync, closeSync, futimesSync, lutimesSync, mkdirSync, openSync, symlinkSync, writeSync } from 'node:fs';
import { constants } from 'node:fs';

export interface FileCopy {
  write(bytes: Uint8Array, offset: number, length: number): void;
  close(): void;
}

export interface TreeMirror {
  directory(relative: string | Buffer): void;
  directoryDone(relative: string | Buffer): void;
  symlink(relative: string | Buffer, target: Buffer): void;
  regular(relative: string | Buffer, executable: boolean): FileCopy;
}

const canonicalTime = 1;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export function canonicalMirror(destination: string): TreeMirror {
  const at = (relative: string | Buffer) => (typeof relative === 'string' ? destination + relative : Buffer.concat([Buffer.from(destination), relative]));
  return {
    directory: (relative) => mkdirSync(at(relative), { mode: 0o755 }),
    directoryDone(relative) {
      const path = at(relative);
      chmodSync(path, 0o555);
      lutimesSync(path, canonicalTime, canonicalTime);
    },
    symlink(relative, target) {
      const path = at(relative);
      symlinkSync(target, path);
      lutimesSync(path, canonicalTime, canonicalTime);
    },
    regular(relative, executable) {
      const fd = openSync(at(relative), CREATE_FLAGS, executable ? 0o555 : 0o444);
      return {
        write(bytes, offset, length) {
          for (let done = 0; done < length; ) done += writeSync(fd, bytes, offset + done, length - done);
        },
        close() {
          futimesSync(fd, canonicalTime, canonicalTime);
          closeSync(fd);
        },
      };
    },
  };
}
