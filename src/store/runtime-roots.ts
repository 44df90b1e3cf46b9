/**
 * Runtime roots: store paths that running processes use, found in /proc the
 * way Nix 2.8 finds them (`LocalStore::findRuntimeRoots`): the targets of
 * each process's `exe`, `cwd` and `root` links and of its `fd/*` links, the
 * files its `maps` lists, and store paths named anywhere in its `environ`.
 * A process that vanishes or cannot be read is skipped, as Nix skips it.
 *
 * A chroot store's programs run from its physical directory, so text naming
 * either the logical or the physical store directory counts; a physical
 * path is reported under its logical name. Only the store path part of a
 * text (`STOREDIR/<32 nix32 chars>-<name>`) is taken; validity is the
 * caller's to check. Each root is also reported under the /proc entry it
 * was found in (`/proc/PID/exe`, `/proc/PID/fd/N`, `/proc/PID/maps`, …), as
 * Nix names runtime roots in `nix-store --gc --print-roots`.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { StoreLocation } from './store-location.js';

/** Failures that mean "this process is gone or not ours to read". */
const SKIPPED_ERRNOS = new Set(['EACCES', 'ENOENT', 'ESRCH', 'EPERM', 'ENOTDIR', 'EINVAL']);

const NIX32 = '[0-9abcdfghijklmnpqrsvwxyz]';
const NAME = "[0-9a-zA-Z+\\-._?=]+";

/** Every (proc entry, store path) pair found, unsorted. */
export function findRuntimeRootLinks(location: StoreLocation, procDir = '/proc'): Array<{ link: string; storePath: string }> {
  const prefixes = [...new Set([location.logicalDir, location.physicalDir])];
  const pattern = new RegExp(`(${prefixes.map(escapeRegExp).join('|')})/(${NIX32}{32}-${NAME})`, 'g');
  const found = new Map<string, { link: string; storePath: string }>();
  const scan = (link: string, text: string) => {
    for (const match of text.matchAll(pattern)) {
      const storePath = `${location.logicalDir}/${match[2]}`;
      found.set(`${link}\0${storePath}`, { link, storePath });
    }
  };
  for (const pid of readdirSync(procDir).filter((name) => /^\d+$/.test(name))) {
    const processDir = `${procDir}/${pid}`;
    for (const link of ['exe', 'cwd', 'root']) skipping(() => scan(`${processDir}/${link}`, readlinkSync(`${processDir}/${link}`)));
    skipping(() => {
      for (const fd of readdirSync(`${processDir}/fd`)) skipping(() => scan(`${processDir}/fd/${fd}`, readlinkSync(`${processDir}/fd/${fd}`)));
    });
    skipping(() => scan(`${processDir}/maps`, readFileSync(`${processDir}/maps`, 'latin1')));
    skipping(() => scan(`${processDir}/environ`, readFileSync(`${processDir}/environ`, 'latin1')));
  }
  return [...found.values()];
}

function skipping(read: () => void): void {
  try {
    read();
  } catch (error) {
    if (!SKIPPED_ERRNOS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
