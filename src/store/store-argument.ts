/**
 * The store path a user argument names: a store path, a path below one, or
 * a symlink (like a profile or `result` link) pointing into the store, at
 * any hop. Every store resolves arguments this way.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { refused } from '../errors.js';
import type { StoreDir } from './store-path.js';

export function resolveStoreArgument(storeDir: StoreDir, argument: string, cwd: string): string {
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
