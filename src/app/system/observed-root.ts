/**
 * Reads what a real root holds after an activation: where run/current-system
 * points and which boot loader entries exist. NixOS's activation and boot
 * loader installer write them; genledger only records what it found.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ObservedRoot } from '../../domain/system-events.js';

/** What `system status` shows of a real root, read when it runs. */
export interface RootOnDisk extends ObservedRoot {
  readonly dir: string;
  /** Where run/booted-system points (set at boot by NixOS's stage 2); null when there is no such link. */
  readonly bootedSystem: string | null;
}

export function rootOnDisk(dir: string): RootOnDisk {
  return { dir, ...observeRoot(dir), bootedSystem: linkTarget(join(dir, 'run', 'booted-system')) };
}

export function observeRoot(dir: string): ObservedRoot {
  return { currentSystem: linkTarget(join(dir, 'run', 'current-system')), bootEntries: names(join(dir, 'boot', 'loader', 'entries')) };
}

function linkTarget(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

function names(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => name.endsWith('.conf')).sort();
  } catch {
    return [];
  }
}
