/**
 * PackagesInstalled v1 → v2. Version 1 recorded a flat list of store paths;
 * version 2 records one element per package, with a name, its store paths
 * and a priority, as manifest.json elements are built. Each v1 path becomes
 * its own element at Nix's default priority 5, named by the store path's
 * name part (everything after the 32-character hash and its dash).
 */
import type { StoredEvent } from '../../src/ledger/event.js';
import type { Upcaster } from '../../src/ledger/upcasting.js';

interface PackagesInstalledV1 {
  storePaths: string[];
  [field: string]: unknown;
}

export interface InstalledElementV2 {
  name: string;
  storePaths: string[];
  priority: number;
}

const DEFAULT_PRIORITY = 5;
const HASH_PART_AND_DASH = 33;

export const packagesInstalledV1ToV2: Upcaster = {
  type: 'PackagesInstalled',
  from: 1,
  up(event: StoredEvent): StoredEvent {
    const { storePaths, ...rest } = event.data as PackagesInstalledV1;
    const elements: InstalledElementV2[] = storePaths.map((path) => ({
      name: storeName(path),
      storePaths: [path],
      priority: DEFAULT_PRIORITY,
    }));
    return { ...event, v: 2, data: { ...rest, elements } };
  },
};

function storeName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.slice(HASH_PART_AND_DASH);
}
