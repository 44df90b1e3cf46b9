/**
 * Reads what a real root holds after an activation: where run/current-system
 * points and which boot loader entries exist. NixOS's activation and boot
 * loader installer write them; genledger only records what it found.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ObservedRoot } from '../../domain/system-events.js';

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
