import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLevel } from 'memory-level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { carryOutGcPlan, readGcPlan, readValidPaths } from '../../../src/store/collect-garbage.js';
import type { GcProgress } from '../../../src/store/collect-garbage.js';
import { emptyTrash } from '../../../src/store/gc-trash.js';
import { Hash } from '../../../src/store/hash.js';
import { EmbeddedStore } from '../../../src/store/embedded/embedded-store.js';
import { hashPath } from '../../../src/store/nar-writer.js';
import { PathInfoDb } from '../../../src/store/path-info-db.js';
import { removeTree } from '../../../src/store/remove-tree.js';
import { StoreLocation } from '../../../src/store/store-location.js';

let work: string;
let store: EmbeddedStore;

/** Writes a read-only store object whose file mentions its references, and registers it. */
async function addPath(name: string, references: string[] = []): Promise<string> {
  const path = store.storeDir.makeTextPath(Hash.of('sha256', name), references, name);
  const physical = store.location.physical(path);
  mkdirSync(join(physical, 'share'), { recursive: true });
  writeFileSync(join(physical, 'share', 'refs'), `${name}: ${references.join(' ')}\n`);
  chmodSync(join(physical, 'share'), 0o555);
  chmodSync(physical, 0o555);
  const { narHash, narSize } = hashPath(physical);
  await store.pathInfos.put({ path, narHash, narSize, references, ca: null, registrationTime: 1_700_000_000 });
  return path;
}

async function narSize(path: string): Promise<number> {
  return (await store.requireInfo(path)).narSize;
}

function entries(): string[] {
  return readdirSync(store.location.physicalDir).sort();
}

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'genledger-gc-'));
  store = new EmbeddedStore(new StoreLocation('/nix/store', join(work, 'root/nix/store')), new PathInfoDb(new MemoryLevel()));
  mkdirSync(store.location.physicalDir, { recursive: true });
});

afterEach(() => {
  removeTree(work);
  rmSync(work, { recursive: true, force: true });
});

/** A whole collection as `gc` runs it, the trash emptied at the end; a temporary entry's process is gone unless `alive` says so. */
async function collectGarbage(
  roots: string[],
  options: { dryRun: boolean; maxFreed?: number; deleteUnknown?: boolean; alive?: number[]; onProgress?: (progress: GcProgress) => void },
) {
  const plan = readGcPlan(store.location, await readValidPaths(store.pathInfos), roots, {
    processAlive: (pid) => (options.alive ?? []).includes(pid),
    tempRoots: [],
    ...(options.maxFreed === undefined ? {} : { maxFreed: options.maxFreed }),
    ...(options.deleteUnknown === undefined ? {} : { deleteUnknown: options.deleteUnknown }),
  });
  if (options.dryRun) return { plan, deleted: [], entriesRemoved: [], bytesFreed: 0 };
  const result = await carryOutGcPlan(store.location, store.pathInfos, plan, process.pid, options.onProgress);
  await emptyTrash(store.location);
  return { plan, ...result };
}

describe('collectGarbage', () => {
  it('deletes dead paths and temporary entries of dead processes, keeps the closure of the roots and unknown entries, and reports NAR bytes', async () => {
    const libc = await addPath('libc');
    const lib = await addPath('lib', [libc]);
    const app = await addPath('app', [lib]);
    const old = await addPath('old-app', [lib, libc]);
    const tool = await addPath('tool');
    const expectedBytes = (await narSize(old)) + (await narSize(tool));
    mkdirSync(join(store.location.physicalDir, '.tmp-4242-deadbeef0000/sub'), { recursive: true });
    mkdirSync(join(store.location.physicalDir, '.links'));
    const outside = join(work, 'outside.txt');
    writeFileSync(outside, 'keep me');
    symlinkSync(outside, join(store.location.physicalDir, 'stray-link'));

    const outcome = await collectGarbage([app], { dryRun: false });

    expect(outcome.plan.live).toEqual([app, lib, libc].sort());
    expect(outcome.deleted.sort()).toEqual([old, tool].sort());
    expect(outcome.entriesRemoved).toEqual(['.tmp-4242-deadbeef0000']);
    expect(outcome.plan.unknown).toEqual(['stray-link']);
    expect(outcome.bytesFreed).toBe(expectedBytes);
    for (const gone of [old, tool]) {
      expect(existsSync(store.location.physical(gone))).toBe(false);
      expect(await store.info(gone)).toBeNull();
    }
    for (const kept of [app, lib, libc]) expect(await store.isValid(kept)).toBe(true);
    expect(entries()).toEqual(['.links', 'stray-link', ...[app, lib, libc].map((p) => p.slice('/nix/store/'.length))].sort());
    expect(existsSync(outside)).toBe(true);
  });

  it('changes nothing on a dry run, yet returns the plan', async () => {
    const kept = await addPath('kept');
    const dead = await addPath('dead');
    mkdirSync(join(store.location.physicalDir, '.tmp-77-abcdef012345'));
    const before = entries();

    const outcome = await collectGarbage([kept], { dryRun: true });

    expect(outcome.plan.dead).toEqual([{ path: dead, bytes: await narSize(dead) }]);
    expect(outcome.plan.temporary).toEqual(['.tmp-77-abcdef012345']);
    expect(outcome).toMatchObject({ deleted: [], entriesRemoved: [], bytesFreed: 0 });
    expect(entries()).toEqual(before);
    expect(await store.isValid(dead)).toBe(true);
  });

  it('deletes nothing on a second run', async () => {
    const kept = await addPath('kept');
    await addPath('dead');
    await collectGarbage([kept], { dryRun: false });
    const again = await collectGarbage([kept], { dryRun: false });
    expect(again).toMatchObject({ deleted: [], entriesRemoved: [], bytesFreed: 0 });
    expect(await store.isValid(kept)).toBe(true);
  });

  it('removes each record only after its referrers\' records, and no tree while a record names it', async () => {
    const bottom = await addPath('bottom');
    const middle = await addPath('middle', [bottom]);
    const top = await addPath('top', [middle]);
    const referencesOf = new Map([
      [top, [middle]],
      [middle, [bottom]],
      [bottom, []],
    ]);
    const recorded = new Set(referencesOf.keys());
    const violations: string[] = [];
    const deleteRecords = store.pathInfos.delete.bind(store.pathInfos);
    store.pathInfos.delete = (paths) => {
      for (const path of paths) {
        for (const referrer of recorded) if (referencesOf.get(referrer)?.includes(path)) violations.push(`${path} before its referrer`);
        recorded.delete(path);
      }
      return deleteRecords(paths);
    };
    const treesStillThere = () => {
      for (const path of recorded) for (const reference of referencesOf.get(path) ?? []) if (!existsSync(store.location.physical(reference))) violations.push(`${reference} gone while recorded`);
    };

    const outcome = await collectGarbage([], { dryRun: false, onProgress: treesStillThere });

    expect(outcome.deleted).toEqual([top, middle, bottom]);
    expect(violations).toEqual([]);
    expect(await store.pathInfos.all()).toEqual([]);
    expect(entries()).toEqual([]);
  });

  it('stops once max-freed bytes are reached, leaving a consistent store', async () => {
    const bottom = await addPath('bottom');
    const middle = await addPath('middle', [bottom]);
    const top = await addPath('top', [middle]);
    const topBytes = await narSize(top);

    const outcome = await collectGarbage([], { dryRun: false, maxFreed: 1 });

    expect(outcome.deleted).toEqual([top]);
    expect(outcome.bytesFreed).toBe(topBytes);
    expect(await store.isValid(middle)).toBe(true);
    expect(await store.isValid(bottom)).toBe(true);
  });

  it('keeps a tree it has no record of, unless told to delete unknown entries named like store paths', async () => {
    const orphan = await addPath('orphan');
    await store.pathInfos.delete([orphan]);
    writeFileSync(join(store.location.physicalDir, 'stray-file'), '');
    const name = orphan.slice('/nix/store/'.length);
    const kept = await collectGarbage([], { dryRun: false });
    expect(kept.plan.unknown).toEqual([name, 'stray-file'].sort());
    expect(entries()).toEqual([name, 'stray-file'].sort());
    const removed = await collectGarbage([], { dryRun: false, deleteUnknown: true });
    expect(removed.entriesRemoved).toEqual([name]);
    expect(entries()).toEqual(['stray-file']);
  });

  it('keeps the temporary entry of a process that still runs', async () => {
    mkdirSync(join(store.location.physicalDir, `.tmp-${process.pid}-abcdef012345`));
    const outcome = await collectGarbage([], { dryRun: false, alive: [process.pid] });
    expect(outcome.plan.unknown).toEqual([`.tmp-${process.pid}-abcdef012345`]);
    expect(entries()).toEqual([`.tmp-${process.pid}-abcdef012345`]);
  });

  it('collects an empty or missing store directory without error', async () => {
    rmSync(store.location.physicalDir, { recursive: true });
    expect(await collectGarbage([], { dryRun: false })).toMatchObject({ deleted: [], entriesRemoved: [], bytesFreed: 0 });
  });
});
