// The suite's scratch directory: on a tmpfs (/dev/shm) when writable, so
// disk writeback does not add noise, else under the system temp dir (the
// output says which). Store contents are read-only, so removal first makes
// the directories writable (only directories: files may be hard links
// shared with a template, and unlinking needs no write permission on them).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './measure.mjs';

/** @param {string | undefined} requested */
export function createScratch(requested) {
  const candidates = requested === undefined ? ['/dev/shm', tmpdir()] : [requested];
  for (const parent of candidates) {
    try {
      // A requested --scratch DIR is made when missing (its parent must exist).
      if (requested !== undefined && !existsSync(parent)) mkdirSync(parent);
      const dir = mkdtempSync(join(parent, 'genledger-bench-'));
      const fsType = fsTypeOf(dir);
      return { dir, fsType, tmpfs: fsType === 'tmpfs' };
    } catch (error) {
      if (requested !== undefined) throw error;
    }
  }
  throw new Error(`no writable scratch directory among ${candidates.join(', ')}`);
}

/** @param {string} path */
export function fsTypeOf(path) {
  return run('df', ['--output=fstype', path]).trim().split('\n').at(-1);
}

/** @param {string} path */
export function removeTree(path) {
  if (!existsSync(path)) return;
  run('find', [path, '-type', 'd', '!', '-perm', '-u+w', '-exec', 'chmod', 'u+w', '{}', '+'], { stdio: ['ignore', 'ignore', 'ignore'] });
  rmSync(path, { recursive: true, force: true });
}

/**
 * Copies a prepared directory for one run. The paths in `shared` (store
 * directories, whose files are immutable) are copied as hard links; the
 * rest (databases, profile links, Nix's state directory) as real copies.
 * @param {string} from @param {string} to @param {string[]} [shared] paths relative to `from`
 */
export function cloneTree(from, to, shared = [], prefix = '') {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const relative = prefix + entry;
    if (shared.includes(relative)) run('cp', ['-al', join(from, entry), join(to, entry)]);
    else if (shared.some((path) => path.startsWith(`${relative}/`))) cloneTree(join(from, entry), join(to, entry), shared, `${relative}/`);
    else run('cp', ['-a', join(from, entry), join(to, entry)]);
  }
}
