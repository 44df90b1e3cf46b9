/**
 * Which format a nix-env generation found on disk (import-nix, adopt) is
 * recorded in. It stays a nix-env generation only if rebuilding it from the
 * elements read gives the very user-environment path the generation link
 * names: the output path is input-addressed over the derivation, which holds
 * the env-manifest's content hash and buildenv's `derivations`, so equal
 * paths mean equal env-manifest bytes and equal derivation. Otherwise (a
 * manifest.nix made from Nix expressions with a drvPath, floats in meta, a
 * store named for another directory…) it is recorded as before, a
 * manifest.json profile of the same packages without nix-env fields, so it
 * is never rebuilt into another user environment under the nix-env name:
 * its path is copied, and a rebuild elsewhere is refused as a path mismatch.
 */
import { nixEnvFieldsOf } from '../domain/nix-env-element.js';
import type { ManifestVersion } from '../domain/profile-events.js';
import type { ProfileElement } from '../domain/profile-manifest.js';
import type { StoreDir } from '../store/store-path.js';
import { userEnvironment } from './user-environment.js';

export function observedNixEnvGeneration(storeDir: StoreDir, target: string, elements: readonly ProfileElement[]): { elements: ProfileElement[]; manifestVersion: ManifestVersion } {
  const complete = elements.every((element) => element.nixEnv !== undefined);
  if (complete && userEnvironment(storeDir, elements.map(nixEnvFieldsOf)).outPath === target) return { elements: [...elements], manifestVersion: 'nix-env' };
  return { elements: elements.map(({ nixEnv: _dropped, ...element }) => element), manifestVersion: 2 };
}
