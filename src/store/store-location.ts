/**
 * Where a store lives. Paths are *named* for the logical store directory
 * (what goes into hashes: `/nix/store` for a chroot store, `<home>/store`
 * for the embedded default) and *live* under the physical directory. Every
 * conversion refuses paths that would leave the store.
 */
import { isAbsolute, join, normalize } from 'node:path';
import { refused } from '../errors.js';
import { StoreDir } from './store-path.js';

export class StoreLocation {
  readonly storeDir: StoreDir;

  constructor(
    logicalDir: string,
    readonly physicalDir: string,
  ) {
    this.storeDir = new StoreDir(logicalDir);
  }

  static of(logicalDir: string, root: string | null): StoreLocation {
    return new StoreLocation(logicalDir, root === null ? logicalDir : join(root, logicalDir));
  }

  get logicalDir(): string {
    return this.storeDir.path;
  }

  /** The physical location of a logical path inside the store (a store path or below one). */
  physical(logicalPath: string): string {
    const normal = normalize(logicalPath);
    if (!isAbsolute(logicalPath) || normal !== logicalPath.replace(/\/+$/, '') || !normal.startsWith(`${this.logicalDir}/`)) {
      throw refused('GENLEDGER_OUTSIDE_STORE', `path '${logicalPath}' is not in the store ${this.logicalDir}`);
    }
    return this.physicalDir + normal.slice(this.logicalDir.length);
  }

  /** The logical name of a physical path inside the store directory. */
  logical(physicalPath: string): string {
    const normal = normalize(physicalPath);
    if (!normal.startsWith(`${this.physicalDir}/`)) {
      throw refused('GENLEDGER_OUTSIDE_STORE', `path '${physicalPath}' is not in the store ${this.physicalDir}`);
    }
    return this.logicalDir + normal.slice(this.physicalDir.length);
  }
}
