/**
 * A full disk (GENLEDGER_FAULT=<step>@N:enospc makes the N-th pass of a
 * step fail with ENOSPC) ends an install with exit 1 and one clear line,
 * GENLEDGER_DISK_FULL, before anything is recorded: the log and the
 * profile's links are exactly as before, no temporary entry is left in
 * the store, and the next gc takes away what the failed install added.
 * Running out of space after the event is recorded is also exit 1, and
 * the next command finishes the job.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogPath, inProcessCli, ok, spawnCli } from './cli-runners.js';
import type { InProcessCli } from './cli-runners.js';
import { expectLinksMatchLedger, readLog, snapshotTree, tempLeftovers } from './home-inspection.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

let scratch: Scratch;
let home: string;
let cli: InProcessCli;

beforeEach(async () => {
  scratch = makeScratch('disk-full');
  home = join(scratch.dir, 'home');
  cli = inProcessCli(home);
  await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
});
afterEach(() => scratch.cleanup());

const links = () => new Map([...snapshotTree(join(home, 'profiles')), ...[...snapshotTree(join(home, 'gcroots'))].map(([path, what]) => [`gcroots/${path}`, what] as const)]);
const store = () => snapshotTree(join(home, 'store'));

describe('an install that runs out of disk space', () => {
  it.each(['during-tree-build@5:enospc', 'during-store-add@2:enospc'])('at %s: exit 1, one line GENLEDGER_DISK_FULL, the log and links untouched', async (fault) => {
    const logBefore = await readLog(cli);
    const linksBefore = links();
    const storeBefore = store();

    const failed = await spawnCli(home, ['profile', 'install', `${catalogPath}#hello`], { fault });
    expect(failed.signal).toBeNull();
    expect(failed.status, failed.stderr).toBe(1);
    const [fact, hint, ...rest] = failed.stderr.trimEnd().split('\n');
    expect(fact).toMatch(/^genledger: no space left on the device while writing '/);
    expect(hint).toMatch(/^hint: free some disk space/);
    expect(rest).toEqual([]);

    const json = await spawnCli(home, ['--json', 'profile', 'install', `${catalogPath}#hello`], { fault });
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'GENLEDGER_DISK_FULL', message: expect.stringMatching(/^no space left/) } });

    expect(await readLog(cli)).toEqual(logBefore);
    expect(links()).toEqual(linksBefore);
    expect(tempLeftovers(home), 'the failed copy removed its temporary entry').toEqual([]);
    await ok(cli, 'gc');
    expect(store(), 'gc took away what the failed install had added').toEqual(storeBefore);
    expect((await cli('verify')).code).toBe(0);
  });
});

describe('running out of disk space after the event is recorded', () => {
  it('exits 1 while switching links, and the next command finishes the projection', async () => {
    const failed = await spawnCli(home, ['profile', 'install', `${catalogPath}#hello`], { fault: 'between-temp-link-and-rename@3:enospc' });
    expect(failed.status, failed.stderr).toBe(1);
    expect(failed.stderr).toMatch(/^genledger: no space left on the device/);
    expect((await readLog(cli)).map((event) => event.type)).toEqual(['ProfileCreated', 'PackagesInstalled', 'PackagesInstalled']);
    await ok(cli, 'profile', 'list');
    await expectLinksMatchLedger(cli, home);
    expect(tempLeftovers(home)).toEqual([]);
    expect((await cli('verify')).code).toBe(0);
  });

  // A regression test: the hint once said "nothing was changed" for every ENOSPC, also when the event was
  // already in the log (and the next command projects it).
  it('does not tell the user that nothing was changed', async () => {
    const failed = await spawnCli(home, ['profile', 'install', `${catalogPath}#hello`], { fault: 'between-temp-link-and-rename@3:enospc' });
    expect(failed.status).toBe(1);
    expect(failed.stderr).not.toContain('nothing was changed');
  });
});
