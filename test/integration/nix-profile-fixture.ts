/**
 * Hand-built Nix profiles for tests that run without Nix: a directory named
 * like a store (`<dir>/nixstore`) holding packages and profile store paths
 * with the manifests Nix writes (manifest.json v1-v3, or a manifest.nix
 * link to an env-manifest), and a profile directory of generation links with
 * chosen mtimes. Hash parts are made up (valid nix32), so the paths are
 * input-addressed as far as any store can tell.
 */
import { chmodSync, lutimesSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const NIX32 = '0123456789abcdfghijklmnpqrsvwxyz';

export interface HandStore {
  readonly storeDir: string;
  package(name: string, program: string): string;
  /** A `nix profile` store path holding `manifest` as manifest.json and links to the packages' bin/. */
  profilePath(manifest: string, packages: readonly string[]): string;
  /** A nix-env user environment whose manifest.nix links to an env-manifest holding `manifest`. */
  userEnvironment(manifest: string, packages: readonly string[]): string;
}

export function handStore(dir: string): HandStore {
  const storeDir = join(dir, 'nixstore');
  mkdirSync(storeDir, { recursive: true });
  let serial = 0;
  const programs = new Map<string, string>();
  const fresh = (name: string) => {
    serial += 1;
    const hash = `${NIX32[serial % 32]}${NIX32[Math.floor(serial / 32) % 32]}`.padEnd(32, 'q');
    return join(storeDir, `${hash}-${name}`);
  };
  const linkBins = (root: string, packages: readonly string[]) => {
    mkdirSync(join(root, 'bin'), { recursive: true });
    for (const pkg of packages) {
      const program = programs.get(pkg) ?? 'unknown';
      symlinkSync(join(pkg, 'bin', program), join(root, 'bin', program));
    }
  };
  return {
    storeDir,
    package(name, program) {
      const path = fresh(name);
      mkdirSync(join(path, 'bin'), { recursive: true });
      writeFileSync(join(path, 'bin', program), `#!/bin/sh\necho ${program}\n`);
      chmodSync(join(path, 'bin', program), 0o755);
      programs.set(path, program);
      return path;
    },
    profilePath(manifest, packages) {
      const path = fresh('profile');
      linkBins(path, packages);
      writeFileSync(join(path, 'manifest.json'), manifest);
      return path;
    },
    userEnvironment(manifest, packages) {
      const envManifest = fresh('env-manifest.nix');
      writeFileSync(envManifest, manifest);
      const path = fresh('user-environment');
      linkBins(path, packages);
      symlinkSync(envManifest, join(path, 'manifest.nix'));
      return path;
    },
  };
}

/** Makes `<dir>/<base>-N-link -> target` with the given mtime (epoch seconds), as Nix's createGeneration does. */
export function generationLink(dir: string, base: string, number: number, target: string, mtime: number): void {
  mkdirSync(dir, { recursive: true });
  const link = join(dir, `${base}-${number}-link`);
  symlinkSync(target, link);
  lutimesSync(link, mtime, mtime);
}

export function profileLink(dir: string, base: string, number: number, mtime: number): void {
  const link = join(dir, base);
  symlinkSync(`${base}-${number}-link`, link);
  lutimesSync(link, mtime, mtime);
}

/** The manifest.nix Nix 2.8 prints for packages installed from store paths (spec 8.2), with optional meta. */
export function envManifestText(packages: readonly { path: string; name: string; meta?: string }[]): string {
  const element = ({ path, name, meta }: { path: string; name: string; meta?: string }) =>
    `{ meta = { ${meta === undefined ? '' : `${meta} `}}; name = "${name}"; out = { outPath = "${path}"; }; outPath = "${path}"; outputs = [ "out" ]; type = "derivation"; }`;
  return `[ ${packages.map(element).join(' ')} ]`;
}
