/**
 * Builds a NixOS configuration through Nix, as nixos-rebuild does, and
 * reports what it built from:
 *
 * - a flake `FLAKEREF#HOST`: `nix flake metadata --json` locks the
 *   reference first, and the locked url is what gets built
 *   (`LOCKED#nixosConfigurations."HOST".config.system.build.toplevel`) and
 *   evaluated for `config.system.configurationRevision`, so all three
 *   facts describe one and the same source even if the flake changes
 *   meanwhile;
 * - NIX_PATH: `<nixpkgs/nixos>` attribute `system` (or another), with the
 *   user's -I arguments, as `nix-build '<nixpkgs/nixos>' -A system`.
 *
 * The revision is null when the evaluation fails (NixOS's option is unset
 * by default, and a configuration without it has no such attribute). The
 * build leaves its result at `outLink`, as nixos-rebuild's `--out-link
 * $tmpDir/result`: Nix registers that link as an indirect GC root, so a
 * collection between the build and the generation link (and its root)
 * cannot take the toplevel. The caller removes the link once the
 * generation roots it.
 */
import type { FlakeBuildSource, NixPathBuildSource } from '../domain/system-build.js';
import { GenledgerError } from '../errors.js';
import type { NixStoreTarget } from '../store/nix/nix-store-target.js';
import { runNixCommand } from './nix-command.js';
import type { NixCommandOptions } from './nix-command.js';

export type NixosSource =
  | { readonly kind: 'flake'; readonly flakeRef: string; readonly host: string }
  | { readonly kind: 'nix-path'; readonly attribute: string; readonly includes: readonly string[] };

export interface NixosBuildResult {
  readonly storePath: string;
  readonly flake: FlakeBuildSource | null;
  readonly nixPath: NixPathBuildSource | null;
  readonly configurationRevision: string | null;
}

export interface NixosBuildContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Where the build leaves its result link (an indirect GC root until the caller removes it). */
  readonly outLink: string;
}

const nixosFile = '<nixpkgs/nixos>';

export async function buildNixos(target: NixStoreTarget, source: NixosSource, context: NixosBuildContext): Promise<NixosBuildResult> {
  const options: NixCommandOptions = { storeUri: target.cliStoreUri, env: context.env, cwd: context.cwd };
  if (source.kind === 'flake') return buildFlake(source.flakeRef, source.host, options, context.outLink);
  const includes = source.includes.flatMap((include) => ['-I', include]);
  const storePath = builtPath(await runNixCommand(['build', '--out-link', context.outLink, '--json', ...includes, '--file', nixosFile, source.attribute], options));
  const configurationRevision = await revision(['eval', '--json', ...includes, '--file', nixosFile, 'config.system.configurationRevision'], options);
  const nixPath = { file: nixosFile, attribute: source.attribute, includes: [...source.includes], nixPath: context.env.NIX_PATH ?? null };
  return { storePath, flake: null, nixPath, configurationRevision };
}

async function buildFlake(flakeRef: string, host: string, options: NixCommandOptions, outLink: string): Promise<NixosBuildResult> {
  const metadata = JSON.parse((await runNixCommand(['flake', 'metadata', '--json', flakeRef], options)).stdout) as { originalUrl?: unknown; url?: unknown };
  if (typeof metadata.originalUrl !== 'string' || typeof metadata.url !== 'string') throw new Error('nix flake metadata --json gave no originalUrl and url');
  const configuration = `nixosConfigurations.${JSON.stringify(host)}.config`;
  const attribute = `${configuration}.system.build.toplevel`;
  const storePath = builtPath(await runNixCommand(['build', '--out-link', outLink, '--json', `${metadata.url}#${attribute}`], options));
  const configurationRevision = await revision(['eval', '--json', `${metadata.url}#${configuration}.system.configurationRevision`], options);
  return { storePath, flake: { originalUrl: metadata.originalUrl, lockedUrl: metadata.url, attribute }, nixPath: null, configurationRevision };
}

/** `nix build --json` lists one entry per installable with its outputs; a toplevel has `out`. */
function builtPath(result: { stdout: string }): string {
  const built = JSON.parse(result.stdout) as Array<{ outputs?: Record<string, unknown> }>;
  const out = built[0]?.outputs?.out;
  if (built.length !== 1 || typeof out !== 'string') throw new Error('nix build --json did not name one out path');
  return out;
}

async function revision(args: readonly string[], options: NixCommandOptions): Promise<string | null> {
  try {
    const value = JSON.parse((await runNixCommand(args, options)).stdout) as unknown;
    return typeof value === 'string' ? value : null;
  } catch (error) {
    if (error instanceof GenledgerError && error.code === 'GENLEDGER_NIX_COMMAND') return null;
    throw error;
  }
}
