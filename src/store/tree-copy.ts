/**
 * Copies a file-system object into the store in canonical form, as Nix
 * leaves store contents: regular files 0444 (0555 when owner-executable),
 * directories 0555, symlinks verbatim, every mtime 1 (symlinks via lutimes).
 * Only regular files, directories and symlinks exist in a store.
 */
import {
  chmodSync,
  copyFileSync,
  constants,
  lstatSync,
  lutimesSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
} from 'node:fs';
import { refused } from '../errors.js';

const canonicalTime = 1;

export function copyCanonical(source: string, destination: string): void {
  const stat = lstatSync(source);
  if (stat.isSymbolicLink()) {
    symlinkSync(readlinkSync(source, { encoding: 'buffer' }), destination);
  } else if (stat.isFile()) {
    copyFileSync(source, destination, constants.COPYFILE_EXCL);
    chmodSync(destination, stat.mode & 0o100 ? 0o555 : 0o444);
  } else if (stat.isDirectory()) {
    mkdirSync(destination, { mode: 0o755 });
    for (const name of readdirSync(source)) copyCanonical(`${source}/${name}`, `${destination}/${name}`);
    chmodSync(destination, 0o555);
  } else {
    throw refused('GENLEDGER_UNSUPPORTED_FILE_TYPE', `file '${source}' has an unsupported type`, 'only regular files, directories and symlinks can be added to the store');
  }
  lutimesSync(destination, canonicalTime, canonicalTime);
}

/** Fails early, before anything is written, when the source cannot be read. */
export function checkReadable(source: string): void {
  try {
    lstatSync(source);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw refused('GENLEDGER_NO_SUCH_PATH', `path '${source}' does not exist`);
    if (code === 'EACCES') throw refused('GENLEDGER_UNREADABLE', `path '${source}' cannot be read (permission denied)`);
    throw error;
  }
}
