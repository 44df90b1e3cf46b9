/**
 * Atomic symlink replacement, the two ways Nix does it. A generation link or
 * GC root is made as `<link>.tmp-<pid>-<random>` and renamed onto its name
 * (addPermRoot); the profile link is made as `.<n>_<base>` in its directory
 * and renamed (switchLink). Either way a reader sees the old link or the new
 * one, never none. The mtime is set on the temporary link before the rename,
 * because the link's mtime is what Nix reads as the generation's date.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, lutimesSync, mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { FaultInjector } from '../fault-injection.js';
import { noFaults } from '../fault-injection.js';
import { refused } from '../errors.js';

export function replaceLink(path: string, target: string, mtime: number, pid: number, faults: FaultInjector = noFaults): void {
  const temp = `${path}.tmp-${pid}-${randomBytes(4).toString('hex')}`;
  symlinkInNewDirectory(target, temp);
  finishLink(temp, path, mtime, faults, 'replace');
}

/** Creates the link's directory only when it is missing: replay makes links by the hundred thousand. */
function symlinkInNewDirectory(target: string, path: string): void {
  try {
    symlinkSync(target, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(target, path);
  }
}

export function switchLink(path: string, target: string, mtime: number, faults: FaultInjector = noFaults): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  for (let n = 0; ; n++) {
    const temp = `${dir}/.${n}_${basename(path)}`;
    try {
      symlinkSync(target, temp);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    finishLink(temp, path, mtime, faults, 'refuse');
    return;
  }
}

export function removeLink(path: string): void {
  // Unlinked straight away (a plan removes links by the thousand): only a directory someone put there needs more.
  try {
    unlinkSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if ((code === 'EISDIR' || code === 'EPERM') && lstatSync(path).isDirectory()) rmSync(path, { recursive: true, force: true });
    else throw error;
  }
}

/**
 * A generation link or root that someone replaced with a directory is ours
 * to repair ('replace'); a profile link path holding anything but a link is
 * the user's, and is never deleted ('refuse').
 */
function finishLink(temp: string, path: string, mtime: number, faults: FaultInjector, nonLink: 'replace' | 'refuse'): void {
  try {
    lutimesSync(temp, mtime, mtime);
    faults.reach('between-temp-link-and-rename');
    if (nonLink === 'replace') renameOntoAnything(temp, path);
    else {
      refuseNonLink(path);
      renameSync(temp, path);
    }
  } catch (error) {
    removeLink(temp);
    throw error;
  }
}

function refuseNonLink(path: string): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (!stat.isSymbolicLink()) throw refused('GENLEDGER_PROFILE_PATH_TAKEN', `'${path}' exists and is not a profile link`, 'move it away; it was left as it is');
}

/** rename(2) replaces a link or a file, but not a directory: a hand-made directory in a link's place goes first. */
function renameOntoAnything(temp: string, path: string): void {
  try {
    renameSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EISDIR') throw error;
    rmSync(path, { recursive: true, force: true });
    renameSync(temp, path);
  }
}
