// Making sure real Nix is there to compare with: without nix-store the
// suite says how to get it and stops (exit 2); with --install-nix, as root
// on a system with apt-get, it installs the Debian package itself.
import { spawnSync } from 'node:child_process';
import { nixInstalled } from './nix.mjs';

const HOW = 'install it with `apt-get install nix-bin` (as root: npm run bench -- --install-nix)';

/** @returns {boolean} whether nix-store is now available */
export function ensureNix(install, log = (line) => process.stderr.write(`${line}\n`)) {
  if (nixInstalled()) return true;
  if (!install) {
    log(`bench: nix-store not found: the suite compares genledger with real Nix; ${HOW}`);
    return false;
  }
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) {
    log(`bench: --install-nix needs root and apt-get; ${HOW}`);
    return false;
  }
  log('bench: installing nix-bin with apt-get');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'nix-bin']]) {
    if (spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) {
      log(`bench: apt-get ${args.join(' ')} failed`);
      return false;
    }
  }
  return nixInstalled();
}
