/**
 * `profile remove ./result`: an element argument that is a path (it holds
 * a `/`) to a symlink leading into the store stands for the store path the
 * links lead to, as Nix's followLinksToStore resolves it. Anything else is
 * passed on unchanged, to be read as an index, a name or a pattern.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { StoreDir } from '../../store/store-path.js';

// A cycle of links is not a store path; Linux itself gives up after 40.
const maxLinks = 40;

export function followStoreLinks(args: readonly string[], storeDir: StoreDir, cwd: string): string[] {
  return args.map((argument) => (argument.includes('/') ? (linkedStorePath(resolve(cwd, argument), storeDir) ?? argument) : argument));
}

function linkedStorePath(start: string, storeDir: StoreDir): string | null {
  const inStore = (path: string) => path.startsWith(`${storeDir.path}/`);
  let path = start;
  for (let hops = 0; hops < maxLinks && !inStore(path); hops++) {
    if (!isLink(path)) return null;
    path = resolve(dirname(path), readlinkSync(path));
  }
  return inStore(path) ? path : null;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
