/**
 * The store as the rest of genledger sees it: a location on disk plus the
 * registry of valid paths. Reads and the closure live here; adding, NAR
 * import, verification and collection have their own modules.
 */
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { refused } from '../errors.js';
import { closureOf, topoSortPaths } from './closure.js';
import type { PathInfo } from './path-info.js';
import type { PathInfoDb } from './path-info-db.js';
import type { StoreLocation } from './store-location.js';

export class LocalStore {
  constructor(
    readonly location: StoreLocation,
    readonly pathInfos: PathInfoDb,
  ) {}

  get storeDir() {
    return this.location.storeDir;
  }

  async info(path: string): Promise<PathInfo | null> {
    return this.pathInfos.get(path);
  }

  async requireInfo(path: string): Promise<PathInfo> {
    const info = await this.pathInfos.get(path);
    if (info === null) throw refused('GENLEDGER_NOT_VALID', `path '${path}' is not valid in the store ${this.location.logicalDir}`, 'add it with genledger store add');
    return info;
  }

  async isValid(path: string): Promise<boolean> {
    return (await this.pathInfos.has(path)) && existsSync(this.location.physical(path));
  }

  /** Requisites of the given paths in `nix-store -qR` order. */
  async closure(paths: readonly string[]): Promise<string[]> {
    const references = new Map<string, readonly string[]>();
    for (const path of paths) await this.requireInfo(path);
    const load = async (frontier: readonly string[]) => {
      for (const path of frontier) {
        if (references.has(path)) continue;
        references.set(path, (await this.requireInfo(path)).references);
      }
    };
    let frontier: readonly string[] = paths;
    while (frontier.length > 0) {
      await load(frontier);
      frontier = frontier.flatMap((p) => references.get(p) ?? []).filter((r) => !references.has(r));
    }
    const referencesOf = (p: string) => references.get(p) ?? [];
    return topoSortPaths(closureOf(paths, referencesOf), referencesOf);
  }

  /**
   * The store path a user argument names: a store path, a path below one,
   * or a symlink (like a profile or `result` link) pointing into the store.
   */
  resolveArgument(argument: string, cwd: string): string {
    const storeDir = this.location.storeDir;
    const absolute = isAbsolute(argument) ? argument : resolve(cwd, argument);
    if (absolute.startsWith(`${storeDir.path}/`)) return storeDir.storePathOf(absolute);
    let target = absolute;
    for (let hops = 0; hops < 40; hops++) {
      let stat;
      try {
        stat = lstatSync(target);
      } catch {
        break;
      }
      if (!stat.isSymbolicLink()) break;
      target = resolve(target, '..', readlinkSync(target));
      if (target.startsWith(`${storeDir.path}/`)) return storeDir.storePathOf(target);
    }
    throw refused('GENLEDGER_NOT_A_STORE_PATH', `'${argument}' is not a store path or a link into the store ${storeDir.path}`);
  }
}
