/**
 * Puts everything written to the file systems holding some directories on
 * stable storage, with one call per file system: Linux's syncfs(2), reached
 * through coreutils' `sync -f DIR` (Node has no binding). One syncfs flushes
 * a whole tree of new files and their directory entries at once, where
 * fsync-ing each file and directory costs a system call and a journal
 * commit apiece (bench case `sync-cost`). Directories on the same file
 * system are synced once. A directory that does not exist has nothing of
 * ours to flush and is skipped.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { refused } from '../errors.js';

export function syncFileSystems(dirs: readonly string[]): void {
  const devices = new Set<number>();
  for (const dir of dirs) {
    let device;
    try {
      device = statSync(dir).dev;
    } catch {
      continue;
    }
    if (devices.has(device)) continue;
    devices.add(device);
    syncFileSystem(dir);
  }
}

function syncFileSystem(dir: string): void {
  const result = spawnSync('sync', ['-f', dir], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.error === undefined && result.status === 0) return;
  const reason = result.error === undefined ? (result.stderr.trim().split('\n')[0] ?? `exit status ${result.status}`) : result.error.message;
  throw refused(
    'GENLEDGER_SYNC_FAILED',
    `cannot put the file system of '${dir}' on stable storage (sync -f: ${reason})`,
    'check the device (dmesg) and that coreutils sync is on PATH; nothing was recorded for what was not synced',
  );
}
