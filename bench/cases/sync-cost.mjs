// genledger-only: what the durability barrier costs. genledger syncs a new
// store path's contents with one syncfs (`sync -f DIR`) before registering
// it; the alternative is an fsync of every file and directory written. Each
// run writes a fresh 2,000-file tree (the store-add tree) and times one way
// of putting it on stable storage, alternating; ratio = fsync-every-file /
// syncfs per pair. Measured on the scratch file system and, when it is
// another file system type, under /var/tmp (a disk): tmpfs syncs nothing.
// `sync-idle` is one syncfs with (almost) nothing dirty: the second barrier
// a command pays, before recording a checkpoint over the links it made.
import { spawnSync } from 'node:child_process';
import { closeSync, constants, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileTree } from '../fixtures/trees.mjs';
import { fsTypeOf, removeTree } from '../lib/scratch.mjs';

const RUNS = 7;
const DISK_PARENT = '/var/tmp';

function syncfs(dir) {
  const result = spawnSync('sync', ['-f', dir]);
  if (result.status !== 0) throw new Error(`sync -f ${dir} failed`);
}

function fsyncEveryEntry(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) fsyncEveryEntry(path);
    else fsyncPath(path, constants.O_RDONLY);
  }
  fsyncPath(dir, constants.O_RDONLY | constants.O_DIRECTORY);
}

function fsyncPath(path, flags) {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function timed(work) {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Alternating pairs on fresh trees under `parent`: samples of the syncfs side, each with its pair's ratio. */
function measureUnder(parent) {
  const work = mkdtempSync(join(parent, 'genledger-bench-sync-'));
  try {
    const samples = [];
    for (let run = 0; run < RUNS; run++) {
      const tree = (name) => {
        const dir = join(work, `${name}-${run}`);
        mkdirSync(dir);
        writeFileTree(dir);
        return dir;
      };
      syncfs(work);
      const oneSyncfs = timed(((dir) => () => syncfs(dir))(tree('syncfs')));
      syncfs(work);
      const everyFile = timed(((dir) => () => fsyncEveryEntry(dir))(tree('fsync')));
      samples.push({ wallMs: oneSyncfs, cpuMs: null, ratio: everyFile / oneSyncfs });
    }
    return samples;
  } finally {
    removeTree(work);
  }
}

function idleUnder(parent) {
  const samples = [];
  syncfs(parent);
  for (let run = 0; run < RUNS; run++) samples.push({ wallMs: timed(() => syncfs(parent)), cpuMs: null });
  return samples;
}

const diskUnavailable = (context) => {
  const scratchType = fsTypeOf(context.scratchDir);
  return fsTypeOf(DISK_PARENT) === scratchType ? `${DISK_PARENT} is ${scratchType} too` : undefined;
};

export const syncCostCases = [
  {
    id: 'sync-cost',
    title: 'syncfs of a new 2,000-file tree, scratch file system (ratio = fsync every file and directory / syncfs)',
    async measure(_fixtures, context) {
      return measureUnder(context.scratchDir);
    },
  },
  {
    id: 'sync-cost-disk',
    title: `the same under ${DISK_PARENT}`,
    unavailable: diskUnavailable,
    async measure() {
      return measureUnder(DISK_PARENT);
    },
  },
  {
    id: 'sync-idle',
    title: `one syncfs with nothing new to write, under ${DISK_PARENT} (a command's link barrier)`,
    async measure() {
      return idleUnder(DISK_PARENT);
    },
  },
];
