/**
 * Where a system command's configuration comes from, as nixos-rebuild
 * takes it: a PATH (store path, result link or directory, system-path.ts),
 * a flake (`--flake FLAKEREF#HOST`) or NIX_PATH (`-I`, `-A`). Flakes and
 * NIX_PATH are built by Nix (nixos-build.ts), so they need `--store nix`;
 * the embedded store has no evaluator and refuses them. Whatever the
 * source, the toplevel's own facts (NixOS and kernel version,
 * specialisations) are read and returned with it, for the event. A Nix
 * build leaves its result link at the caller's build root, which keeps it
 * alive until the caller releases it (build-root.ts).
 */
import { systemBuildOf } from '../../domain/system-build.js';
import type { SystemBuild } from '../../domain/system-build.js';
import { refused } from '../../errors.js';
import { buildNixos } from '../../nix-cli/nixos-build.js';
import type { NixosSource } from '../../nix-cli/nixos-build.js';
import type { Session } from '../session/session-context.js';
import type { BuildRoot } from './build-root.js';
import { resolveSystemPath } from './system-path.js';
import { readToplevelFacts } from './toplevel-facts.js';

export type SystemSource = { readonly kind: 'path'; readonly path: string } | NixosSource;

export interface ResolvedSystemSource {
  readonly systemPath: string;
  /** Where its files can be read now. */
  readonly contents: string;
  readonly build: SystemBuild;
}

export async function resolveSystemSource(session: Session, source: SystemSource, dryRun: boolean, buildRoot: BuildRoot): Promise<ResolvedSystemSource> {
  if (source.kind === 'path') {
    const { systemPath, contents } = await resolveSystemPath(session, source.path, dryRun);
    return { systemPath, contents, build: systemBuildOf(systemPath, readToplevelFacts(contents), { flake: null, nixPath: null, configurationRevision: null }) };
  }
  const { nix, world } = session;
  if (nix === null) throw needsNix(source);
  const built = await buildNixos(nix, source, { env: world.env, cwd: world.cwd, outLink: buildRoot.outLink() });
  session.faults.reach('after-build');
  const contents = session.store.location.physical(built.storePath);
  const { storePath, ...from } = built;
  return { systemPath: storePath, contents, build: systemBuildOf(storePath, readToplevelFacts(contents), from) };
}

function needsNix(source: NixosSource): Error {
  const what = source.kind === 'flake' ? `--flake ${source.flakeRef}` : 'a configuration from NIX_PATH (<nixpkgs/nixos>)';
  return refused('GENLEDGER_NIXOS_NEEDS_NIX', `${what} must be evaluated and built by Nix, and the embedded store has no evaluator`, 'use --store nix, or build it yourself and give the result: genledger system switch ./result');
}
