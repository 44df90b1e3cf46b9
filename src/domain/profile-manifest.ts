/**
 * A profile's manifest as the domain sees it: the ordered list of elements
 * (name, active flag, priority, store paths, and where an element came from
 * when it was resolved from a catalog). `manifest.json` in any of Nix's
 * versions is a rendering of this value; the ledger records RFC 6902 patches
 * between successive values of it.
 */
import type { NixEnvFields } from './nix-env-fields.js';

export const defaultPriority = 5;

export interface ElementSource {
  /** The reference as the user gave it, e.g. `path:/srv/catalog.json`. */
  readonly originalUrl: string;
  /** The locked reference, with the catalog's content hash. */
  readonly url: string;
  readonly attrPath: string;
}

export interface ProfileElement {
  readonly name: string;
  readonly active: boolean;
  readonly priority: number;
  readonly storePaths: readonly string[];
  readonly source?: ElementSource;
  /** In a nix-env profile: what its manifest.nix says of the element (see nix-env-fields.ts). */
  readonly nixEnv?: NixEnvFields;
}

export interface ProfileManifest {
  readonly elements: readonly ProfileElement[];
}

export const emptyManifest: ProfileManifest = Object.freeze({ elements: Object.freeze([]) });

export function findElement(manifest: ProfileManifest, name: string): ProfileElement | undefined {
  return manifest.elements.find((element) => element.name === name);
}
