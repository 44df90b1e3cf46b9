/**
 * Finding the garbage collector's permanent roots the way Nix 2.8 does
 * (spec 9.1, `LocalStore::findRoots`): walk the roots directories without
 * following directory symlinks, and take
 *   - a symlink whose target text lies in the store: the store path holding
 *     the target, reported under the link;
 *   - any other symlink ("indirect", like `gcroots/auto/*`): its target,
 *     resolved from the link's directory, if that is itself a symlink into
 *     the store (one level only), reported under the target link;
 *   - a regular file named like a store path: that path.
 * Only valid paths count. An indirect link inside the auto directory whose
 * target is gone is stale: its profile generation was deleted.
 *
 * Store paths are recognised on the link *text*, never by resolving it, and
 * a text with `.`/`..` components is not a store path, so a link cannot
 * name a root by climbing out of the store (`/nix/store/../etc`). Relative
 * links into the store are not direct roots, as in Nix.
 */
import { lstatSync, readdirSync, readlinkSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isGenledgerError } from '../errors.js';
import { compareUtf8 } from './nar-tree.js';
import type { StoreLocation } from './store-location.js';
import type { StoreDir } from './store-path.js';

export interface GcRoot {
  readonly link: string;
  readonly storePath: string;
}

export interface StaleLink {
  readonly link: string;
  /** The missing target, resolved to an absolute path. */
  readonly target: string;
}

export interface FindRootsOptions {
  /** Delete stale links in `autoDir` as they are found (Nix always does, even for `--print-dead`). */
  readonly removeStaleAutoLinks: boolean;
  /** Where indirect roots live, absolute: `<state>/gcroots/auto`; only links there are ever stale. */
  readonly autoDir: string;
}

export interface FoundRoots {
  /** Sorted by link. */
  readonly roots: GcRoot[];
  /** Sorted by link; deleted from disk when `removeStaleAutoLinks` was set. */
  readonly staleLinks: StaleLink[];
}

/** Failures Nix treats as "cannot read potential root" and skips; anything else is thrown. */
const SKIPPED_ERRNOS = new Set(['EACCES', 'ENOENT', 'ENOTDIR']);

export function findRoots(
  rootDirs: readonly string[],
  location: StoreLocation,
  isValid: (storePath: string) => boolean,
  options: FindRootsOptions,
): FoundRoots {
  const storeDir = location.storeDir;
  const autoPrefix = `${options.autoDir.replace(/\/+$/, '')}/`;
  const roots = new Map<string, string>();
  const staleLinks: StaleLink[] = [];

  const foundRoot = (link: string, targetText: string) => {
    const storePath = storePathOfText(storeDir, targetText);
    if (storePath !== null && isValid(storePath)) roots.set(link, storePath);
  };

  const visitSymlink = (link: string) => {
    const text = readlinkSync(link);
    if (isInStore(storeDir, text)) {
      foundRoot(link, text);
      return;
    }
    const target = resolve(dirname(link), text);
    const targetStat = lstatSync(target, { throwIfNoEntry: false });
    if (targetStat === undefined) {
      if (!link.startsWith(autoPrefix)) return;
      staleLinks.push({ link, target });
      if (options.removeStaleAutoLinks) unlinkSync(link);
      return;
    }
    if (!targetStat.isSymbolicLink()) return;
    const targetText = readlinkSync(target);
    if (isInStore(storeDir, targetText)) foundRoot(target, targetText);
  };

  const pending = [...rootDirs];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    try {
      const stat = lstatSync(path);
      if (stat.isDirectory()) {
        for (const name of readdirSync(path)) pending.push(`${path}/${name}`);
      } else if (stat.isSymbolicLink()) {
        visitSymlink(path);
      } else if (stat.isFile()) {
        const storePath = `${storeDir.path}/${path.slice(path.lastIndexOf('/') + 1)}`;
        if (storeDir.isStorePath(storePath) && isValid(storePath)) roots.set(path, storePath);
      }
    } catch (error) {
      if (!SKIPPED_ERRNOS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
  }

  const byLink = <T extends { link: string }>(a: T, b: T) => compareUtf8(a.link, b.link);
  return {
    roots: [...roots].map(([link, storePath]) => ({ link, storePath })).sort(byLink),
    staleLinks: staleLinks.sort(byLink),
  };
}

/** Nix's `isInStore`: the text names something strictly below the store directory. */
function isInStore(storeDir: StoreDir, text: string): boolean {
  return text.length >= storeDir.path.length + 2 && text.startsWith(`${storeDir.path}/`);
}

function storePathOfText(storeDir: StoreDir, text: string): string | null {
  try {
    return storeDir.storePathOf(text);
  } catch (error) {
    if (isGenledgerError(error)) return null;
    throw error;
  }
}
