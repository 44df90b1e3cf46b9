/**
 * What a system configuration was built from and what it is, as the system
 * events record it (`build`): the flake (reference as typed, locked url,
 * attribute) or the NIX_PATH evaluation it came from, the configuration's
 * `system.configurationRevision`, and what nixos-rebuild list-generations
 * reads from a toplevel: the NixOS version, the kernel version and the
 * specialisations. A plain PATH has neither flake nor nixPath. The shell
 * reads the files and runs Nix; this module only derives values.
 */

export interface FlakeBuildSource {
  /** The reference as Nix parsed what was typed, e.g. `path:/etc/nixos`. */
  readonly originalUrl: string;
  /** Locked (narHash, rev or lastModified): what was evaluated. */
  readonly lockedUrl: string;
  /** e.g. `nixosConfigurations."host".config.system.build.toplevel`. */
  readonly attribute: string;
}

export interface NixPathBuildSource {
  /** The file evaluated: `<nixpkgs/nixos>`. */
  readonly file: string;
  /** The attribute built from it: `system` unless -A picked another. */
  readonly attribute: string;
  /** The -I arguments given, in order (e.g. `nixos-config=/etc/nixos/configuration.nix`). */
  readonly includes: readonly string[];
  /** NIX_PATH as the command saw it; null when unset. */
  readonly nixPath: string | null;
}

export interface SystemBuild {
  readonly flake: FlakeBuildSource | null;
  readonly nixPath: NixPathBuildSource | null;
  readonly configurationRevision: string | null;
  readonly nixosVersion: string | null;
  readonly kernelVersion: string | null;
  /** Names under the toplevel's `specialisation/`, sorted. */
  readonly specialisations: readonly string[];
  readonly storePath: string;
}

/** What the shell found in a toplevel, before interpretation. */
export interface ToplevelFacts {
  /** The contents of `nixos-version`; null when absent. */
  readonly nixosVersion: string | null;
  /** Entries of `kernel-modules/lib/modules/`, as nixos-rebuild lists them. */
  readonly moduleVersions: readonly string[];
  /** Where `kernel` points (a file in a `linux-VERSION` store path); null when absent. */
  readonly kernelTarget: string | null;
  readonly specialisations: readonly string[];
}

/**
 * nixos-rebuild list-generations takes the kernel version from the names
 * under kernel-modules/lib/modules; without them the kernel's store path
 * name (`linux-6.1.63`) says it.
 */
export function kernelVersionOf(facts: ToplevelFacts): string | null {
  if (facts.moduleVersions.length > 0) return [...facts.moduleVersions].sort().join(' ');
  const storeName = facts.kernelTarget?.split('/').find((part) => /^[0-9a-z]{32}-/.test(part));
  const match = storeName === undefined ? null : /^[0-9a-z]{32}-linux-(\d[^/]*)$/.exec(storeName);
  return match?.[1] ?? null;
}

export function systemBuildOf(
  storePath: string,
  facts: ToplevelFacts,
  source: Pick<SystemBuild, 'flake' | 'nixPath' | 'configurationRevision'>,
): SystemBuild {
  return {
    ...source,
    nixosVersion: facts.nixosVersion,
    kernelVersion: kernelVersionOf(facts),
    specialisations: [...facts.specialisations].sort(),
    storePath,
  };
}
