/**
 * Reading a file that came from outside (a bundle, a binary cache, a Nix
 * profile) without trusting what it is. The file must be a regular file of
 * at most `max` bytes, checked before it is opened and again on the opened
 * descriptor; it is opened non-blocking, so a FIFO cannot stall the open,
 * and (unless the caller follows links) without following a final symbolic
 * link, so a link to `/dev/zero` is refused rather than read. At most the
 * size seen at open time is read: a file that grows meanwhile is refused,
 * so no input can make a reader block or read without bound.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync } from 'node:fs';

export interface BoundedRead {
  /** The largest file accepted, in bytes. */
  readonly max: number;
  /** Follow a final symbolic link (a Nix profile's manifest.nix is one); the target must still be a regular file. */
  readonly followLinks?: boolean;
  /** Turns a problem ("is a directory", "is not a regular file", "has N bytes, more than the M allowed", …) into the caller's error. */
  readonly refuse: (problem: string) => Error;
}

/** The bytes of the regular file at `path`, or null when nothing is there. */
export function readBoundedFile(path: string, options: BoundedRead): Buffer | null {
  const { max, refuse } = options;
  const stats = statOrNull(path, options.followLinks === true);
  if (stats === null) return null;
  if (stats.isDirectory()) throw refuse('is a directory');
  if (!stats.isFile()) throw refuse('is not a regular file');
  if (stats.size > max) throw refuse(`has ${stats.size} bytes, more than the ${max} allowed`);
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (options.followLinks === true ? 0 : constants.O_NOFOLLOW);
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw refuse('is not a regular file');
    throw error;
  }
  try {
    const opened = fstatSync(fd);
    // Replaced between the stat and the open: judge what was opened.
    if (!opened.isFile()) throw refuse('is not a regular file');
    if (opened.size > max) throw refuse(`has ${opened.size} bytes, more than the ${max} allowed`);
    const bytes = Buffer.alloc(opened.size);
    let offset = 0;
    while (offset < bytes.length) {
      const got = readSync(fd, bytes, offset, bytes.length - offset, offset);
      if (got === 0) throw refuse('shrank while it was being read');
      offset += got;
    }
    if (readSync(fd, Buffer.alloc(1), 0, 1, offset) !== 0) throw refuse('grew while it was being read');
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/**
 * An opened descriptor of the regular file at `path` (never following a
 * final link), for a caller that streams a large file such as a NAR; null
 * when nothing is there. The caller closes it.
 */
export function openRegularFile(path: string, refuse: (problem: string) => Error): { fd: number; size: number } | null {
  const stats = statOrNull(path, false);
  if (stats === null) return null;
  if (!stats.isFile()) throw refuse('is not a regular file');
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw refuse('is not a regular file');
    throw error;
  }
  const opened = fstatSync(fd);
  if (!opened.isFile()) {
    closeSync(fd);
    throw refuse('is not a regular file');
  }
  return { fd, size: opened.size };
}

function statOrNull(path: string, followLinks: boolean) {
  try {
    return followLinks ? statSync(path) : lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}
