// Real Nix as the other side of every case. Nix 2.8's `nix profile` reads
// packages by their logical path, so they must be in the real /nix/store:
// every path the suite adds there is rooted under the scratch directory,
// remembered, and deleted with `nix-store --delete` at the end. What timed
// runs build is registered in chroot stores (`--store DIR`) and deleted
// there; Nix's garbage collector runs only on chroot stores (and on the
// Nix backend cases' own local stores, see ../fixtures/nix-backend.mjs).
import { spawnSync } from 'node:child_process';
import { readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { run } from './measure.mjs';

const FEATURES = ['--extra-experimental-features', 'nix-command'];

export function nixInstalled() {
  return spawnSync('nix-store', ['--version']).status === 0;
}

export function nixVersion() {
  return run('nix', ['--version']).trim();
}

/** A `nix` command (nix-command enabled) as a spec for timedSpawn. */
export function nixSpec(env, args) {
  return { file: 'nix', args: [...FEATURES, ...args], env };
}

export function nix(env, ...args) {
  return run('nix', [...FEATURES, ...args], { env });
}

/** The paths this suite put into the real store, and their removal. */
export class RealStore {
  /** @param {NodeJS.ProcessEnv} env @param {string} rootsDir */
  constructor(env, rootsDir) {
    this.env = env;
    this.rootsDir = rootsDir;
    /** @type {Set<string>} */
    this.created = new Set();
  }

  /** Adds source trees (`nix-store --add`) and roots them under the scratch dir. */
  add(name, dirs) {
    const paths = run('nix-store', ['--add', ...dirs], { env: this.env }).trim().split('\n');
    run('nix-store', ['--realise', ...paths, '--add-root', join(this.rootsDir, name), '--indirect'], { env: this.env });
    for (const path of paths) this.created.add(path);
    return paths;
  }

  /** Remembers a path a fixture made (a profile), so cleanup deletes it. */
  track(path) {
    this.created.add(path);
  }

  /**
   * Deletes everything the suite added, once its roots (under the scratch
   * dir) are gone. One `nix-store --delete` does it all unless something
   * else still roots a path; then path by path, referrers (profiles) first,
   * leaving the rooted ones alone.
   */
  cleanup() {
    const paths = [...this.created];
    this.created.clear();
    if (paths.length === 0 || spawnSync('nix-store', ['--delete', ...paths], { env: this.env, stdio: 'ignore' }).status === 0) return;
    const profilesFirst = paths.sort((a, b) => Number(b.endsWith('-profile')) - Number(a.endsWith('-profile')));
    for (const path of profilesFirst) spawnSync('nix-store', ['--delete', path], { env: this.env, stdio: 'ignore' });
  }
}

/** Deletes a path a timed run created from chroot store `root` (its links must be gone). */
export function deleteFromChroot(env, root, path) {
  run('nix-store', ['--store', root, '--delete', path], { env });
}

/** Points profile link `profile` at generation `number`, atomically (as Nix's switchLink). */
export function switchProfile(profile, number) {
  const temporary = join(dirname(profile), `.bench_${basename(profile)}`);
  rmSync(temporary, { force: true });
  symlinkSync(`${basename(profile)}-${number}-link`, temporary);
  renameSync(temporary, profile);
}

/** The store path generation `number` of `profile` points at. */
export function generationTarget(profile, number) {
  return readlinkSync(`${profile}-${number}-link`);
}
