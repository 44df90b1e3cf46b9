// genledger as the first side of every case: the built CLI run by this
// Node, on a home whose store is named for /nix/store but lives under the
// home's own root (`--store-dir /nix/store --store-root`), so its store
// paths equal Nix's. A home here is a directory holding `home/` (the state
// home: database, profiles, roots) and `root/` (the store root).
import { spawnSync } from 'node:child_process';
import { renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './measure.mjs';
import { cloneTree, removeTree } from './scratch.mjs';

export const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = join(repoDir, 'bin', 'genledger');

/** @param {string} dir */
export function homeAt(dir) {
  return { dir, home: join(dir, 'home'), root: join(dir, 'root'), profile: join(dir, 'home', 'profiles', 'profile') };
}

/** A genledger command on `home` as a spec for timedSpawn. */
export function genledgerSpec(home, env, args, nodeOptions = []) {
  return { file: process.execPath, args: [...nodeOptions, cliPath, '--home', home.home, '--store-dir', '/nix/store', '--store-root', home.root, ...args], env };
}

export function genledger(home, env, ...args) {
  const spec = genledgerSpec(home, env, args);
  return run(spec.file, spec.args, { env });
}

/**
 * Keeps a prepared home aside (`saved`) between runs. A home records its
 * store root, and its GC roots name its links, by absolute path, so every
 * copy is used at the path the home was built at: `restoreHome` puts a
 * fresh copy back there (the store by hard links: its files never change).
 */
export function saveHome(home, saved) {
  renameSync(home.dir, saved);
  return { home, saved };
}

/** @param {{ home: ReturnType<typeof homeAt>, saved: string }} template */
export function restoreHome(template) {
  removeTree(template.home.dir);
  cloneTree(template.saved, template.home.dir, ['root/nix/store']);
  return template.home;
}

/** Whether the built CLI has a command (another engineer may not have added it yet): its help names it. */
export function hasCommand(env, name) {
  const help = spawnSync(process.execPath, [cliPath, name, '--help'], { env, encoding: 'utf8' }).stdout ?? '';
  return help.startsWith(`Usage: genledger ${name} `);
}
