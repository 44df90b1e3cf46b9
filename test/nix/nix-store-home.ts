/**
 * A genledger home on a local Nix store the test owns, named for its own
 * directory (`nix:local?store=DIR/store&state=…`; the real /nix/store is
 * never touched): the store, `nix-store` on it, genledger run with
 * `--store nix:URI -p DIR/profiles/profile`, and packages added by Nix.
 * Needs Nix and root (Nix opens the store's database itself); `skipReason`
 * says why not, for a visible skip.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestHome } from '../integration/test-world.js';
import type { RunResult, TestHome } from '../integration/test-world.js';

export const nixStoreHomeSkipReason: string | null =
  spawnSync('nix-store', ['--version']).status !== 0 ? 'nix-store is not installed' : process.getuid?.() !== 0 ? 'a local Nix store needs root' : null;

export interface NixStoreHome {
  readonly dir: string;
  readonly uri: string;
  readonly home: TestHome;
  /** `nix-store --store URI ARGS…`; its stdout. */
  nixStore(...args: string[]): string;
  /** genledger on the store, with the test's profile. */
  run(...args: string[]): Promise<RunResult>;
  /** A one-file package added by `nix-store --add`: its store path. */
  add(name: string, contents?: string): string;
  cleanup(): void;
}

export function makeNixStoreHome(prefix: string): NixStoreHome {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const uri = `local?store=${dir}/store&state=${dir}/state&log=${dir}/log`;
  mkdirSync(join(dir, 'profiles'));
  const home = makeTestHome();
  const env = { ...process.env, NIX_REMOTE: '' };
  const nixStore = (...args: string[]) => execFileSync('nix-store', ['--store', uri, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return {
    dir,
    uri,
    home,
    nixStore,
    run: (...args) => home.run('--store', `nix:${uri}`, '-p', join(dir, 'profiles', 'profile'), ...args),
    add: (name, contents = name) => {
      const source = join(dir, 'src', name);
      mkdirSync(source, { recursive: true });
      writeFileSync(join(source, name), contents);
      return nixStore('--add', source).trim();
    },
    cleanup: () => {
      home.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
