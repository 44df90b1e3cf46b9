/**
 * What a nix-env user environment records of an element beyond what every
 * profile records (spec 8.1, 8.2a): its full `name` (`pkga-1.0`, kept with
 * a `.drv` suffix when installed from a derivation), `system` (absent for
 * an element installed from a store path, `"unknown"` once nix-env has read
 * it back from a manifest.nix), `outPath`, its outputs sorted by name (Nix
 * holds them in a `std::map`) and its `meta` attributes as nix-env prints
 * them. Invariant: the element's storePaths are the set of its output paths.
 */

/** A Nix value nix-env can keep in `meta` and genledger in an event: JSON, integers only. */
export type NixEnvMetaValue = string | number | boolean | null | readonly NixEnvMetaValue[] | { readonly [name: string]: NixEnvMetaValue };

export interface NixEnvOutput {
  readonly name: string;
  readonly path: string;
}

export interface NixEnvFields {
  readonly name: string;
  readonly system?: string;
  readonly outPath: string;
  readonly outputs: readonly NixEnvOutput[];
  readonly meta: { readonly [name: string]: NixEnvMetaValue };
}
