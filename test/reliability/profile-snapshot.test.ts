/**
 * The profile snapshot is a cache of the fold, never a truth: commands on
 * a long stream start from it and agree with a fold of every event; a
 * snapshot that no longer names an event of its stream, or comes from
 * another build, is ignored; one edited behind genledger's back is named
 * by verify (exit 4) and saved afresh by replay; dry runs write none.
 *
 * The home of every case: hello and greet installed (generations 1 and 2),
 * then 40 switches between them: 43 events in stream 'profile'.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogPath, inProcessCli, ok, okJson } from './cli-runners.js';
import type { InProcessCli } from './cli-runners.js';
import { ledgerEntries, withRawDatabase } from './raw-database.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

const snapshotKey = '!profile-snapshot!profile';
const switches = 40;

interface Snapshot {
  build: string;
  version: number;
  hash: string;
  state: { current: number; switches: unknown[] };
}

let scratch: Scratch;
let home: string;
let cli: InProcessCli;

const readSnapshot = () => withRawDatabase(home, async (db) => ((text) => (text === undefined ? undefined : (JSON.parse(text) as Snapshot)))(await db.get(snapshotKey)));
const writeSnapshot = (snapshot: Snapshot) => withRawDatabase(home, (db) => db.put(snapshotKey, JSON.stringify(snapshot)));

beforeEach(async () => {
  scratch = makeScratch('snapshot');
  home = join(scratch.dir, 'home');
  cli = inProcessCli(home);
  await ok(cli, 'profile', 'install', `${catalogPath}#hello`);
  await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
  for (let i = 0; i < switches; i++) await ok(cli, 'profile', 'switch-generation', String(1 + (i % 2)));
});
afterEach(() => scratch.cleanup());

async function listGenerations(): Promise<unknown> {
  return okJson(cli, 'profile', 'list-generations');
}

describe('the profile snapshot', () => {
  it('is saved once a command folds a long stream, names the head event, and gives the state a full fold gives', async () => {
    const saved = await readSnapshot();
    expect(saved, 'the command that first folded 32 events saved one').toBeDefined();
    const head = (await okJson<Array<{ stream: string; version: number; hash: string }>>(cli, 'log', '-p', 'profile')).at(-1);
    expect(saved?.version).toBeLessThanOrEqual(head?.version ?? 0);
    expect(await okJson(cli, 'verify'), 'verify folds every event and compares').toMatchObject({ problems: [] });
    const fromSnapshot = await listGenerations();
    await withRawDatabase(home, (db) => db.del(snapshotKey));
    expect(await listGenerations(), 'without the cache, the same answer').toEqual(fromSnapshot);
  });

  it('is ignored when it does not name an event of its stream, or comes from another build', async () => {
    const saved = await readSnapshot();
    if (saved === undefined) throw new Error('no snapshot');
    const expected = await listGenerations();
    const wrongState = { ...saved.state, current: 99 };
    for (const stale of [
      { ...saved, state: wrongState, hash: '0'.repeat(64) },
      { ...saved, state: wrongState, build: '0.0.0/0' },
    ]) {
      await writeSnapshot(stale);
      expect(await listGenerations()).toEqual(expected);
      expect(await okJson(cli, 'verify')).toMatchObject({ problems: [] });
    }
  });

  it('edited behind genledger\'s back is named by verify and saved afresh by replay', async () => {
    const saved = await readSnapshot();
    if (saved === undefined) throw new Error('no snapshot');
    await writeSnapshot({ ...saved, state: { ...saved.state, switches: [] } });
    const verify = await cli('verify', '--json');
    expect(verify.code).toBe(4);
    expect(JSON.parse(verify.stdout).problems).toEqual([expect.objectContaining({ kind: 'snapshot', stream: 'profile', profile: 'profile', fix: 'replay', message: expect.stringContaining('replay restores this: genledger replay') })]);
    await ok(cli, 'replay');
    const head = (await okJson<Array<{ version: number; hash: string }>>(cli, 'log', '-p', 'profile')).at(-1);
    expect(await readSnapshot()).toMatchObject({ version: head?.version, hash: head?.hash, state: { switches: expect.arrayContaining([expect.anything()]) } });
    expect(await okJson(cli, 'verify')).toMatchObject({ problems: [] });
  });

  it('gives commands a frozen state, as every fold does', async () => {
    const { openDatabase } = await import('../../src/ledger/database.js');
    const { createLevelLedger } = await import('../../src/ledger/level-ledger.js');
    const { loadProfileState } = await import('../../src/app/profile/profile-stream.js');
    const database = await openDatabase({ dir: join(home, 'db'), lockTimeoutMs: 1000, holder: { pid: process.pid, user: 'test', command: 'test', since: new Date().toISOString() } });
    try {
      const state = await loadProfileState({ ledger: createLevelLedger(database.db), database }, 'profile', { save: false });
      const generation = state.generations[1];
      expect(Object.isFrozen(state) && Object.isFrozen(generation) && Object.isFrozen(generation?.manifest.elements[0]?.storePaths)).toBe(true);
      expect(() => (state.switches as unknown[]).push(null)).toThrow(TypeError);
    } finally {
      await database.close();
    }
  });

  it('is not written by a dry run', async () => {
    await withRawDatabase(home, (db) => db.del(snapshotKey));
    const before = await ledgerEntries(home);
    await ok(cli, 'profile', 'rollback', '--dry-run');
    expect(await readSnapshot()).toBeUndefined();
    expect(await ledgerEntries(home)).toEqual(before);
    await ok(cli, 'profile', 'rollback');
    expect(await readSnapshot(), 'the real rollback folded all 43 events and saved them').toBeDefined();
  });
});
