/**
 * Whether Nix manages a store: its physical directory has Nix's database
 * beside it (`<dir>/../var/nix/db`, as /nix/store has /nix/var/nix/db, and
 * as a chroot store that Nix made has). Nix's collector owns such a store;
 * genledger's registry lists only what genledger added, so it must never
 * collect there.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoreLocation } from './store-location.js';

export function isNixManagedStore(location: StoreLocation): boolean {
  return existsSync(`${dirname(location.physicalDir)}/var/nix/db`);
}
