/**
 * Local flakes built by real Nix on a store the test owns. The store is a
 * local store with its own store, state and log directories
 * (`local?store=D/store&state=D/state&log=D/log`): its paths are named for
 * D/store, so `builder = "/bin/sh"` derivations build there without a
 * sandbox (a chroot store `local?root=DIR` forces a chroot build, in which
 * /bin/sh does not exist). Nix's collector may run there: it is the test's.
 * Nothing needs the network: substituters are off, and flake ids resolve
 * through a registry file the test writes.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NixStoreTarget } from '../../src/store/nix/nix-store-target.js';

function probe(): { available: boolean; reason: string } {
  try {
    execFileSync('nix', ['--version'], { stdio: 'ignore' });
  } catch {
    return { available: false, reason: 'nix not found (apt-get install nix-bin)' };
  }
  if (process.getuid?.() !== 0) return { available: false, reason: 'building on a store of its own needs root (Nix then runs builds as nixbld users)' };
  return { available: true, reason: '' };
}

export const nixForFlakes = probe();

/** The host's system name, written literally into flakes (pure evaluation has no builtins.currentSystem). */
export function hostSystem(): string {
  return execFileSync('nix', ['--extra-experimental-features', 'nix-command', 'eval', '--impure', '--raw', '--expr', 'builtins.currentSystem'], { encoding: 'utf8' });
}

export interface FlakeWorld {
  readonly dir: string;
  readonly target: NixStoreTarget;
  /** The environment genledger and the oracle `nix` both run with. */
  readonly env: Record<string, string>;
  readonly system: string;
  /** Runs `nix --store <test store> ARGS…` with the flake features; returns stdout. */
  nix(args: readonly string[], cwd?: string): string;
  /** Writes (or rewrites) a flake whose packages each install `bin/<package>` printing `text`. */
  writeFlake(name: string, packages: Readonly<Record<string, { drvName: string; text: string }>>, extra?: string): string;
  /** Adds an entry `id → path:DIR` to the test's flake registry. */
  register(id: string, flakeDir: string): void;
  cleanup(): void;
}

export function makeFlakeWorld(): FlakeWorld {
  const dir = mkdtempSync(join(tmpdir(), 'genledger-flakes-'));
  // Builds run as nixbld users, who must reach the store below this directory.
  chmodSync(dir, 0o755);
  const storeDir = join(dir, 'nix', 'store');
  const stateDir = join(dir, 'nix', 'var');
  const cliStoreUri = `local?store=${storeDir}&state=${stateDir}&log=${join(dir, 'nix', 'log')}`;
  const target: NixStoreTarget = { uri: cliStoreUri, transport: { kind: 'stdio', storeUri: cliStoreUri }, cliStoreUri, storeDir, realStoreDir: storeDir, stateDir };
  const registry = join(dir, 'registry.json');
  const entries: Array<{ from: { type: 'indirect'; id: string }; to: { type: 'path'; path: string } }> = [];
  const writeRegistry = (): void => writeFileSync(registry, JSON.stringify({ flakes: entries, version: 2 }));
  writeRegistry();
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !name.startsWith('GENLEDGER_')) env[name] = value;
  env.NIX_CONFIG = `substituters =\nflake-registry = ${registry}`;
  const system = hostSystem();
  const nix = (args: readonly string[], cwd = dir): string =>
    execFileSync('nix', ['--extra-experimental-features', 'nix-command flakes', '--store', cliStoreUri, ...args], { env, cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const writeFlake: FlakeWorld['writeFlake'] = (name, packages, extra = '') => {
    const flakeDir = join(dir, name);
    mkdirSync(flakeDir, { recursive: true });
    const attrs = Object.entries(packages)
      .map(([attr, { drvName, text }]) => `${attr} = derivation { name = "${drvName}"; system = "${system}"; builder = "/bin/sh"; args = [ "-c" "PATH=/bin:/usr/bin; mkdir -p $out/bin; printf '#!/bin/sh\\\\necho ${text}\\\\n' > $out/bin/${attr}; chmod +x $out/bin/${attr}" ]; };`)
      .join('\n      ');
    writeFileSync(join(flakeDir, 'flake.nix'), `{\n  outputs = { self }: {\n    packages.${system} = {\n      ${attrs}\n    };\n    ${extra}\n  };\n}\n`);
    return flakeDir;
  };
  return {
    dir,
    target,
    env,
    system,
    nix,
    writeFlake,
    register: (id, flakeDir) => {
      entries.push({ from: { type: 'indirect', id }, to: { type: 'path', path: flakeDir } });
      writeRegistry();
    },
    cleanup: () => {
      // Nix makes store paths read-only; make them writable again so the tree can go.
      execFileSync('chmod', ['-R', 'u+w', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
