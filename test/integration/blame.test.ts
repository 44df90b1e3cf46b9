import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/ledger/database.js';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

const catalog = 'examples/catalog.json';
const next = 'examples/catalog-next.json';

let home: TestHome;

afterEach(() => home?.cleanup());

interface Entry {
  seq: number;
  type: string;
  change: string;
  generation: number;
  storePaths: string[];
  actor: { user: string; sudoUser?: string; host: string };
  command: string[] | null;
  reason: string | null;
}

async function blame(name: string): Promise<{ generation: number; current: Entry | null; removedBy: Entry | null; history: Entry[] }> {
  const result = await home.run('blame', name, '--json');
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout);
}

/** hello installed by alice, greet by bob via sudo, hello removed by bob, reinstalled at 1.1 by carol, reprioritised by dave. */
async function history(): Promise<void> {
  home = makeTestHome();
  expect((await home.run('profile', 'install', `${catalog}#hello`, '-m', 'everyone needs a greeting')).code).toBe(0);
  expect((await home.runAs({ user: 'bob', uid: 1001, sudoUser: 'carol' }, 'profile', 'install', `${catalog}#greet`)).code).toBe(0);
  expect((await home.runAs({ user: 'bob', uid: 1001 }, 'profile', 'remove', 'hello')).code).toBe(0);
  expect((await home.runAs({ user: 'carol', uid: 1002, host: 'otherhost' }, 'profile', 'install', `${next}#hello`, '-m', 'new release')).code).toBe(0);
  expect((await home.runAs({ user: 'dave', uid: 1003 }, 'profile', 'set-priority', 'hello', '3')).code).toBe(0);
}

describe('genledger blame', () => {
  it('names who installed the current version, with host, command, reason and generation, then the history newest first', async () => {
    await history();
    const report = await blame('hello');
    expect(report.generation).toBe(5);
    expect(report.current).toMatchObject({ change: 'installed', generation: 4, actor: { user: 'carol', host: 'otherhost' }, reason: 'new release', type: 'PackagesInstalled' });
    expect(report.current?.command).toEqual(['genledger', 'profile', 'install', `${next}#hello`, '-m', 'new release']);
    expect(report.current?.storePaths[0]).toMatch(/-hello-1\.1$/);
    expect(report.history.map((e) => [e.change, e.actor.user, e.generation])).toEqual([
      ['priority', 'dave', 5],
      ['installed', 'carol', 4],
      ['removed', 'bob', 3],
      ['installed', 'alice', 1],
    ]);
    const text = (await home.run('blame', 'hello')).stdout;
    expect(text.split('\n').slice(0, 3)).toEqual([
      "hello 1.1 in generation 5 of profile 'profile'",
      expect.stringMatching(/^installed in generation 4 by carol@otherhost at 2026-/),
      `  $ genledger profile install ${next}#hello -m new release`,
    ]);
  });

  it('reports the sudo user of an install', async () => {
    await history();
    expect((await blame('greet')).current?.actor).toEqual({ user: 'bob', uid: 1001, sudoUser: 'carol', host: 'testhost' });
  });

  it('follows the lineage: after a rollback the installer of the version rolled back to, after a switch to a removal, the removal', async () => {
    await history();
    expect((await home.run('profile', 'switch-generation', '2')).code).toBe(0);
    const rolledBack = await blame('hello');
    expect(rolledBack.current).toMatchObject({ generation: 1, actor: { user: 'alice' }, reason: 'everyone needs a greeting' });
    expect(rolledBack.current?.storePaths[0]).toMatch(/-hello-1\.0$/);
    expect((await home.run('profile', 'switch-generation', '3')).code).toBe(0);
    const removed = await blame('hello');
    expect(removed.current).toBeNull();
    expect(removed.removedBy).toMatchObject({ generation: 3, actor: { user: 'bob' } });
    expect((await home.run('blame', 'hello')).stdout).toMatch(/^hello is not in generation 3 of profile 'profile'; removed in generation 3 by bob@testhost/);
  });

  it('answers a restored generation with the install it brings back', async () => {
    await history();
    expect((await home.run('profile', 'delete-generations', '1')).code).toBe(0);
    expect((await home.run('profile', 'restore', '1')).code).toBe(0);
    expect((await blame('hello')).current).toMatchObject({ generation: 1, actor: { user: 'alice' } });
  });

  it('answers the same after the package index is deleted, and after events it has not seen', async () => {
    await history();
    const before = await blame('hello');
    const database = await openDatabase({ dir: join(home.dir, 'home', 'db'), lockTimeoutMs: 0, holder: { pid: process.pid, user: 'test', command: 'test', since: new Date(0).toISOString() } });
    await database.db.sublevel('package-index').clear();
    await database.close();
    expect(await blame('hello')).toEqual(before);
    expect((await home.run('profile', 'remove', 'hello')).code).toBe(0);
    expect((await blame('hello')).removedBy).toMatchObject({ generation: 6, actor: { user: 'alice' } });
  });

  it('refuses a name no event touched', async () => {
    await history();
    const result = await home.run('blame', 'figlet-lite');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no event of profile 'profile' touched a package named 'figlet-lite'");
  });

  it('drives log --package from the index, with the other filters', async () => {
    await history();
    const log = async (...args: string[]) => JSON.parse((await home.run('log', '--json', '--package', 'hello', ...args)).stdout) as Array<{ type: string; actor: { user: string } }>;
    expect((await log()).map((e) => [e.type, e.actor.user])).toEqual([
      ['PackagesInstalled', 'alice'],
      ['PackagesRemoved', 'bob'],
      ['PackagesInstalled', 'carol'],
      ['PriorityChanged', 'dave'],
    ]);
    expect((await log('--user', 'bob')).map((e) => e.type)).toEqual(['PackagesRemoved']);
    expect((await log('--until', '4')).map((e) => e.type)).toEqual(['PackagesInstalled', 'PackagesRemoved']);
    expect(await log('-p', 'elsewhere')).toEqual([]);
  });
});
