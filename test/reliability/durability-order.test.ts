/**
 * The durability order, observed in the system calls of the real CLI: a
 * store path's contents are synced (syncfs) after its tree is renamed into
 * place and before LevelDB is written to register it or append an event
 * naming it; links are made after the append is synced, and synced again
 * before the checkpoint that claims them is written.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogPath, spawnCli } from './cli-runners.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';
import { isLevelLogWrite, isRenameOnto, isSync, straceAvailable, traceCli } from './strace-trace.js';
import type { TracedCall } from './strace-trace.js';

let scratch: Scratch;
afterEach(() => scratch?.cleanup());

const storePathName = /\/store\/[0-9a-df-np-sv-z]{32}-[^/]+$/;

function firstIndex(calls: readonly TracedCall[], from: number, test: (call: TracedCall) => boolean): number {
  const found = calls.findIndex((call, index) => index > from && test(call));
  expect(found, 'the expected system call was not traced').toBeGreaterThan(from);
  return found;
}

describe.skipIf(!straceAvailable)('durability order under strace', () => {
  it('store add syncs the new path before LevelDB registers it, and the registration is synced', async () => {
    scratch = makeScratch('durable-add');
    const home = join(scratch.dir, 'home');
    const { status, calls } = traceCli(home, ['store', 'add', join(process.cwd(), 'examples', 'pkgs', 'hello-1.0')], join(scratch.dir, 'trace'));
    expect(status).toBe(0);
    const renamed = firstIndex(calls, -1, isRenameOnto((destination) => storePathName.test(destination)));
    const synced = firstIndex(calls, renamed, (call) => call.name === 'syncfs');
    const registered = firstIndex(calls, renamed, isLevelLogWrite(home));
    expect(synced).toBeLessThan(registered);
    expect(calls.slice(renamed, synced).some(isSync)).toBe(false);
    firstIndex(calls, registered, isSync);
  });

  it('profile install: tree, syncfs, synced append, links, syncfs, checkpoint', async () => {
    scratch = makeScratch('durable-install');
    const home = join(scratch.dir, 'home');
    expect((await spawnCli(home, ['profile', 'install', `${catalogPath}#hello`])).status).toBe(0);
    const { status, calls } = traceCli(home, ['profile', 'install', `${catalogPath}#greet`], join(scratch.dir, 'trace'));
    expect(status).toBe(0);
    const profileBuilt = firstIndex(calls, -1, isRenameOnto((destination) => /\/store\/[0-9a-df-np-sv-z]{32}-profile$/.test(destination)));
    const treesSynced = firstIndex(calls, profileBuilt, (call) => call.name === 'syncfs');
    const appended = firstIndex(calls, profileBuilt, isLevelLogWrite(home));
    expect(treesSynced).toBeLessThan(appended);
    const appendSynced = firstIndex(calls, appended, isSync);
    const linked = firstIndex(calls, -1, isRenameOnto((destination) => destination.endsWith('/profiles/profile-2-link')));
    const switched = firstIndex(calls, -1, isRenameOnto((destination) => destination.endsWith('/profiles/profile')));
    expect(linked).toBeGreaterThan(appendSynced);
    const linksSynced = firstIndex(calls, switched, (call) => call.name === 'syncfs');
    const checkpoint = firstIndex(calls, linksSynced, isLevelLogWrite(home));
    expect(checkpoint).toBeGreaterThan(linksSynced);
    expect(calls.filter((call) => call.name === 'syncfs')).toHaveLength(2);
  });
});
