/**
 * NixOS configurations for tests, without nixpkgs: small toplevels built by
 * real Nix (`builder = "/bin/sh"`) on the store of a FlakeWorld. A toplevel
 * has what nixos-rebuild and its tools read from one: `nixos-version`,
 * `kernel` (a link into a `linux-VERSION` path), `kernel-modules/lib/modules/
 * VERSION`, `kernel-params`, `init`, `specialisation/NAME` (another toplevel),
 * `bin/switch-to-configuration` and `sw/bin/nixos-version` (NixOS's: the
 * version; with `--configuration-revision` the revision, or exit 1 when the
 * configuration has none).
 *
 * The activation script does to a root what NixOS's does to `/`. The root
 * is baked into the toplevel when the spec names one (`root`: needed on a
 * real root, where genledger clears the activation's environment as
 * nixos-rebuild does); otherwise GENLEDGER_TEST_ROOT names it (the
 * simulated root passes the caller's environment through).
 * GENLEDGER_TEST_PROFILES is the directory of the system profile's links
 * (default ROOT/nix/var/nix/profiles). `switch` and `test` point
 * ROOT/run/current-system at the toplevel; `switch` and `boot` rewrite
 * ROOT/boot/loader/entries/nixos-generation-N.conf for every
 * `system-N-link`. Each call appends one line to ROOT/activation.log:
 * `toplevel=… argv=… NIXOS_INSTALL_BOOTLOADER=… LOCALE_ARCHIVE=… env=NAME,…`
 * (env: the names of its environment, sorted). `dry-activate` only logs. It
 * exits with the configuration's `activationExitCode` (default 0).
 *
 * Two ways to name a configuration, as nixos-rebuild takes them:
 * - a flake whose `nixosConfigurations.HOST.config.system.build.toplevel`
 *   is the toplevel and `config.system.configurationRevision` the given
 *   revision (null when none, as NixOS's default);
 * - a `configuration.nix` for `-I nixos-config=FILE`, with a stand-in for
 *   nixpkgs on NIX_PATH (`nixpkgs=DIR`) whose `nixos/default.nix` imports
 *   `<nixos-config>` and returns `{ system = toplevel; config = …; }`.
 *   Real Nix evaluates and builds both.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFlakeWorld } from './flake-fixtures.js';
import type { FlakeWorld } from './flake-fixtures.js';

export interface NixosSpec {
  /** What `nixos-version` holds, e.g. 23.11.20231201.abcdef. */
  readonly nixosVersion: string;
  /** The kernel's version: its store path is named `linux-VERSION`. */
  readonly kernelVersion: string;
  readonly kernelParams?: string;
  /** `config.system.configurationRevision`; unset (null) when absent. */
  readonly revision?: string;
  /** What bin/switch-to-configuration exits with. */
  readonly activationExitCode?: number;
  /** The root its activation script changes, baked in; specialisations inherit it. */
  readonly root?: string;
  /** Each a toplevel of its own under `specialisation/NAME`. */
  readonly specialisations?: Readonly<Record<string, Partial<NixosSpec>>>;
}

export interface NixosWorld {
  readonly flakes: FlakeWorld;
  /** `nixpkgs=DIR`: the stand-in for nixpkgs, for NIX_PATH. */
  readonly nixPath: string;
  /** Writes (or rewrites) a flake with one nixosConfiguration per host. */
  writeNixosFlake(name: string, hosts: Readonly<Record<string, NixosSpec>>): string;
  /** Writes a configuration.nix for `-I nixos-config=FILE`; its path. */
  writeConfiguration(name: string, hostName: string, spec: NixosSpec): string;
  /** A fresh empty root directory (for GENLEDGER_TEST_ROOT). */
  makeRoot(name: string): string;
  cleanup(): void;
}

const activationScript = `#!/bin/sh
PATH=/bin:/usr/bin
action="$1"
names=$(env | sed -n 's/^\\([A-Za-z_][A-Za-z0-9_]*\\)=.*/\\1/p' | sort | tr '\\n' , )
root='@root@'
[ -n "$root" ] || root="\${GENLEDGER_TEST_ROOT:?GENLEDGER_TEST_ROOT names the root this test activation changes}"
profiles="\${GENLEDGER_TEST_PROFILES:-$root/nix/var/nix/profiles}"
printf 'toplevel=%s argv=%s NIXOS_INSTALL_BOOTLOADER=%s LOCALE_ARCHIVE=%s env=%s\\n' @out@ "$*" "\${NIXOS_INSTALL_BOOTLOADER-}" "\${LOCALE_ARCHIVE-}" "$names" >> "$root/activation.log"
case "$action" in
  switch|test) mkdir -p "$root/run"; ln -sfn @out@ "$root/run/current-system" ;;
esac
case "$action" in
  switch|boot)
    mkdir -p "$root/boot/loader/entries"
    rm -f "$root"/boot/loader/entries/nixos-generation-*.conf
    for link in "$profiles"/system-*-link; do
      [ -L "$link" ] || continue
      n=\${link##*/system-}; n=\${n%-link}
      target=$(readlink -f "$link")
      printf 'title NixOS\\nversion Generation %s NixOS %s\\nlinux %s/kernel\\noptions init=%s/init %s\\n' "$n" "$(cat "$target/nixos-version")" "$target" "$target" "$(cat "$target/kernel-params")" > "$root/boot/loader/entries/nixos-generation-$n.conf"
    done ;;
esac
exit @exitCode@
`;

/** `toplevel = host: spec: derivation`, a function of the system name; shared by both kinds of configuration. */
const toplevelNix = `{ system }:
let
  kernelOf = version: derivation {
    name = "linux-\${version}"; inherit system; builder = "/bin/sh";
    args = [ "-c" "PATH=/bin:/usr/bin; mkdir -p $out/lib/modules/\${version}; echo kernel > $out/bzImage" ];
  };
  toplevel = host: spec:
    let
      kernel = kernelOf spec.kernelVersion;
      specialisations = spec.specialisations or { };
      links = map (name: "ln -s \${toplevel "\${host}-\${name}" (spec // { specialisations = { }; } // specialisations.\${name})} $out/specialisation/\${name};")
        (builtins.attrNames specialisations);
    in derivation {
      name = "nixos-system-\${host}-\${spec.nixosVersion}"; inherit system; builder = "/bin/sh";
      script = ./switch-to-configuration.sh;
      args = [ "-c" ''
        PATH=/bin:/usr/bin
        mkdir -p $out/bin $out/specialisation $out/sw/bin
        printf %s '\${spec.nixosVersion}' > $out/nixos-version
        printf %s '\${spec.kernelParams or "loglevel=4"}' > $out/kernel-params
        ln -s \${kernel}/bzImage $out/kernel
        ln -s \${kernel} $out/kernel-modules
        printf '#!/bin/sh\\n' > $out/init; chmod +x $out/init
        sed -e "s|@out@|$out|g" -e "s|@root@|\${spec.root or ""}|" -e "s|@exitCode@|\${toString (spec.activationExitCode or 0)}|" $script > $out/bin/switch-to-configuration
        chmod +x $out/bin/switch-to-configuration
        printf '#!/bin/sh\nif [ "$1" = --configuration-revision ]; then\n  [ -n "%s" ] || { echo "$0: configuration revision is unknown" >&2; exit 1; }\n  echo "%s"\nelse\n  echo "%s"\nfi\n' '\${spec.revision or ""}' '\${spec.revision or ""}' '\${spec.nixosVersion}' > $out/sw/bin/nixos-version
        chmod +x $out/sw/bin/nixos-version
        \${builtins.concatStringsSep "\\n" links}
      '' ];
    };
in { inherit toplevel; }
`;

function writeToplevelLibrary(dir: string, system: string): void {
  writeFileSync(join(dir, 'toplevel.nix'), toplevelNix);
  writeFileSync(join(dir, 'switch-to-configuration.sh'), activationScript);
  writeFileSync(join(dir, 'system.nix'), JSON.stringify(system));
}

export function makeNixosWorld(): NixosWorld {
  const flakes = makeFlakeWorld();
  const nixpkgs = join(flakes.dir, 'fake-nixpkgs');
  mkdirSync(join(nixpkgs, 'nixos'), { recursive: true });
  writeToplevelLibrary(nixpkgs, flakes.system);
  writeFileSync(
    join(nixpkgs, 'nixos', 'default.nix'),
    `{ configuration ? import <nixos-config> }:
let
  spec = configuration { };
  toplevel = (import ../toplevel.nix { system = import ../system.nix; }).toplevel spec.hostName spec;
in {
  system = toplevel;
  config = { system.build.toplevel = toplevel; system.configurationRevision = spec.revision or null; };
  kernel = toplevel;
}
`,
  );
  return {
    flakes,
    nixPath: `nixpkgs=${nixpkgs}`,
    writeNixosFlake: (name, hosts) => {
      const dir = join(flakes.dir, name);
      mkdirSync(dir, { recursive: true });
      writeToplevelLibrary(dir, flakes.system);
      writeFileSync(join(dir, 'hosts.json'), JSON.stringify(hosts));
      writeFileSync(
        join(dir, 'flake.nix'),
        `{
  outputs = { self }:
    let
      inherit (import ./toplevel.nix { system = import ./system.nix; }) toplevel;
      hosts = builtins.fromJSON (builtins.readFile ./hosts.json);
    in {
      nixosConfigurations = builtins.mapAttrs (host: spec: {
        config.system.build.toplevel = toplevel host spec;
        config.system.configurationRevision = spec.revision or null;
      }) hosts;
    };
}
`,
      );
      return dir;
    },
    writeConfiguration: (name, hostName, spec) => {
      const file = join(flakes.dir, `${name}.nix`);
      writeFileSync(file, `{ ... }: builtins.fromJSON ''${JSON.stringify({ ...spec, hostName })}''\n`);
      return file;
    },
    makeRoot: (name) => {
      const root = join(flakes.dir, 'roots', name);
      mkdirSync(join(root, 'nix', 'var', 'nix', 'profiles'), { recursive: true });
      return root;
    },
    cleanup: () => flakes.cleanup(),
  };
}
