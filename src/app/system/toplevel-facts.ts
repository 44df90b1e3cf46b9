/**
 * Reads from a system toplevel on disk what nixos-rebuild list-generations
 * reads: `nixos-version`, the names under `kernel-modules/lib/modules`, the
 * `kernel` link and the names under `specialisation/`. Anything missing is
 * absent, not an error: a configuration that is not NixOS has none of it.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ToplevelFacts } from '../../domain/system-build.js';

export function readToplevelFacts(contents: string): ToplevelFacts {
  return {
    nixosVersion: readOrNull(() => readFileSync(join(contents, 'nixos-version'), 'utf8').trim()),
    moduleVersions: readOrNull(() => readdirSync(join(contents, 'kernel-modules', 'lib', 'modules'))) ?? [],
    kernelTarget: readOrNull(() => readlinkSync(join(contents, 'kernel'))),
    specialisations: readOrNull(() => readdirSync(join(contents, 'specialisation'))) ?? [],
  };
}

function readOrNull<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}
