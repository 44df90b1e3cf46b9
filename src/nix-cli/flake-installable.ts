/**
 * Flake installables, resolved and built by Nix itself. All the flake
 * installables of one command go to ONE `nix profile install` into a
 * temporary profile, so Nix evaluates each once, with its own default
 * attribute paths (`packages.<system>.X`, `legacyPackages.<system>.X`, `X`;
 * the default package for a bare reference) and its own output selection.
 * The temporary profile's `manifest.json` then holds, per installable and in
 * order, exactly the facts `nix profile install` records: originalUrl, the
 * locked url (with narHash), attrPath and store paths.
 *
 * The temporary profile's generation link is a GC root (Nix registers it
 * in its `gcroots/auto`), so what Nix built survives a concurrent
 * collection until the caller's own generation roots it: `release()` then
 * removes the temporary links. The profile tree Nix built for them is left
 * as garbage (it is referenced by nothing live), and the `gcroots/auto`
 * entry pointing at the removed link is a stale root, which Nix's next
 * collection deletes by itself.
 *
 * Which installables are flakes: installableSyntax (flake-ref.ts) reads the
 * text; for `PATH#attr` the disk decides: a regular file is a catalog (the
 * role genledger's JSON catalogs had before flakes), a directory a flake, and
 * a registry id (`nixpkgs#hello`) with no such file or directory a flake,
 * unless it ends in `.json`: that is a catalog file that is missing, and
 * is reported as one.
 */
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { refused } from '../errors.js';
import type { GenledgerError } from '../errors.js';
import type { NixStoreTarget } from '../store/nix/nix-store-target.js';
import { installableSyntax } from './flake-ref.js';
import { runNixCommand } from './nix-command.js';

export interface ResolvedFlakeElement {
  /** The reference as Nix parsed it from what the user typed, e.g. `path:/srv/flake`. */
  readonly originalUrl: string;
  /** Locked: with narHash (and rev or lastModified), as Nix writes it. */
  readonly url: string;
  /** The attribute Nix found, e.g. `packages.x86_64-linux.hello`. */
  readonly attrPath: string;
  /** Nix 2.8 names no outputs: it installs the ones it built, listed in storePaths. */
  readonly storePaths: readonly string[];
}

export interface FlakeResolution {
  /** One element per reference asked, in the order asked. */
  readonly elements: readonly ResolvedFlakeElement[];
  /** Removes the temporary profile; call once the caller's own generation roots the paths (or it failed). */
  release(): void;
}

export interface FlakeContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export function isFlakeInstallable(text: string, cwd: string): boolean {
  const syntax = installableSyntax(text);
  if (syntax.kind !== 'local') return syntax.kind === 'flake';
  const kind = pathKind(resolve(cwd, syntax.path));
  return kind === 'directory' || (kind === 'missing' && syntax.registryId && !syntax.path.endsWith('.json'));
}

/** Whether a recorded originalUrl names a flake (a catalog's is `path:` to a regular file). */
export function isFlakeUrl(originalUrl: string): boolean {
  const syntax = installableSyntax(`${originalUrl}#`);
  return syntax.kind === 'flake' || (syntax.kind === 'local' && pathKind(syntax.path) === 'directory');
}

export function flakesNeedNix(installable: string): GenledgerError {
  return refused('GENLEDGER_FLAKES_NEED_NIX', `'${installable}' is a flake installable, which only Nix can evaluate and build`, 'use --store nix');
}

/** Resolves and builds every reference in one Nix call. Nothing to ask: no call. */
export async function resolveFlakeInstallables(target: NixStoreTarget, references: readonly string[], context: FlakeContext): Promise<FlakeResolution> {
  if (references.length === 0) return { elements: [], release: () => undefined };
  const scratch = mkdtempSync(join(tmpdir(), 'genledger-flake-'));
  const release = (): void => rmSync(scratch, { recursive: true, force: true });
  try {
    const profile = join(scratch, 'profile');
    await runNixCommand(['profile', 'install', '--profile', profile, ...references], { storeUri: target.cliStoreUri, env: context.env, cwd: context.cwd });
    const elements = readElements(manifestOf(target, profile));
    if (elements.length !== references.length) {
      throw new Error(`nix profile install recorded ${elements.length} elements for ${references.length} installables`);
    }
    return { elements, release };
  } catch (error) {
    release();
    throw error;
  }
}

/** The generation's manifest.json on this host: a chroot store's link names the logical path. */
function manifestOf(target: NixStoreTarget, profile: string): string {
  const generation = readlinkSync(resolve(profile, '..', readlinkSync(profile)));
  const onHost = generation.startsWith(`${target.storeDir}/`) ? target.realStoreDir + generation.slice(target.storeDir.length) : generation;
  return readFileSync(join(onHost, 'manifest.json'), 'utf8');
}

function readElements(text: string): ResolvedFlakeElement[] {
  const manifest = JSON.parse(text) as { version?: unknown; elements?: unknown };
  if (manifest.version !== 2 || !Array.isArray(manifest.elements)) throw new Error('nix profile install wrote a manifest.json of an unexpected version');
  return manifest.elements.map((element: Record<string, unknown>) => {
    const { originalUrl, url, attrPath, storePaths } = element;
    if (typeof originalUrl !== 'string' || typeof url !== 'string' || typeof attrPath !== 'string' || !isStringList(storePaths)) {
      throw new Error('nix profile install wrote an element without its flake facts');
    }
    return { originalUrl, url, attrPath, storePaths };
  });
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function pathKind(path: string): 'file' | 'directory' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}
