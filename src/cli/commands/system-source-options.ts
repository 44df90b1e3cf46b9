/**
 * The options that say where a system configuration comes from, as
 * nixos-rebuild takes them: a PATH argument, `--flake FLAKEREF[#HOST]`
 * (HOST defaults to this machine's host name, as nixos-rebuild's does), or
 * neither: NIX_PATH's `<nixpkgs/nixos>` with `-I` (repeatable) and `-A`.
 * A PATH with any of them, or `-A` / `-I` with `--flake`, is a usage error.
 */
import type { Command } from 'commander';
import type { SystemSource } from '../../app/system/system-source.js';
import { usageError } from '../../errors.js';

export interface SystemSourceOptions {
  flake?: string;
  /** commander names a short-only option by its letter. */
  I?: string[];
  attr?: string;
}

export function withSourceOptions(command: Command): Command {
  return command
    .argument('[path]', 'a configuration: store path, result link or directory (omit it for --flake or NIX_PATH)')
    .option('--flake <flakeref>', 'build FLAKEREF#HOST\'s nixosConfigurations."HOST".config.system.build.toplevel through Nix (HOST: this host name)')
    .option('-I <path>', "add to Nix's search path, as nix-build -I (repeatable; e.g. nixos-config=./configuration.nix)", (value: string, previous: string[] = []) => [...previous, value])
    .option('-A, --attr <attr>', "the attribute of <nixpkgs/nixos> to build (default 'system')");
}

export function systemSourceOf(path: string | undefined, options: SystemSourceOptions, hostName: string): SystemSource {
  const includes = options.I ?? [];
  if (path !== undefined) {
    if (options.flake !== undefined || includes.length > 0 || options.attr !== undefined) {
      throw usageError('GENLEDGER_SYSTEM_SOURCE_CONFLICT', 'give either a PATH or --flake / -I / -A, not both', 'a PATH is already built; --flake and NIX_PATH name a configuration for Nix to build');
    }
    return { kind: 'path', path };
  }
  if (options.flake !== undefined) {
    if (options.attr !== undefined || includes.length > 0) {
      throw usageError('GENLEDGER_SYSTEM_SOURCE_CONFLICT', '-A and -I are for <nixpkgs/nixos> from NIX_PATH, not for a flake', 'name the host in the flake reference: --flake FLAKEREF#HOST');
    }
    const hash = options.flake.lastIndexOf('#');
    const flakeRef = hash < 0 ? options.flake : options.flake.slice(0, hash);
    const host = hash < 0 || hash === options.flake.length - 1 ? hostName : options.flake.slice(hash + 1);
    return { kind: 'flake', flakeRef, host };
  }
  return { kind: 'nix-path', attribute: options.attr ?? 'system', includes };
}
