import { chmodSync, lutimesSync, mkdirSync, readFileSync, readlinkSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

const catalog = 'examples/catalog.json';
const HAND_TIME = Date.parse('2026-02-01T08:00:00Z') / 1000;

let home: TestHome;

afterEach(() => home?.cleanup());

const profiles = () => join(home.dir, 'home', 'profiles');

/** What a hand (or a foreign tool) does: a generation link, then the profile link switched to it, Nix's way. */
function makeGenerationByHand(number: number, target: string): void {
  const link = join(profiles(), `profile-${number}-link`);
  symlinkSync(target, link);
  lutimesSync(link, HAND_TIME, HAND_TIME);
  const temp = join(profiles(), '.0_profile');
  symlinkSync(`profile-${number}-link`, temp);
  lutimesSync(temp, HAND_TIME + 1, HAND_TIME + 1);
  renameSync(temp, join(profiles(), 'profile'));
}

async function verifyProblems(): Promise<Array<{ kind: string; message: string }>> {
  const result = await home.run('verify', '--json');
  return JSON.parse(result.stdout).problems;
}

async function twoGenerations(): Promise<{ first: string; second: string }> {
  home = makeTestHome();
  expect((await home.run('profile', 'install', `${catalog}#hello`)).code).toBe(0);
  expect((await home.run('profile', 'install', `${catalog}#greet`)).code).toBe(0);
  return { first: readlinkSync(join(profiles(), 'profile-1-link')), second: readlinkSync(join(profiles(), 'profile-2-link')) };
}

describe('drift and genledger adopt', () => {
  it('reports a generation made by hand as drift, then records it so verify is clean and the audit trail whole', async () => {
    const { first } = await twoGenerations();
    makeGenerationByHand(3, first);
    const problems = await verifyProblems();
    expect(problems.map((p) => p.kind)).toEqual(['drift', 'drift']);
    expect(problems[0]?.message).toBe(`profile 'profile' has generation 3 (-> ${first}) that the ledger never recorded: changed outside genledger; adopt records this: genledger adopt -p profile`);
    expect(problems[1]?.message).toContain("profile 'profile' points at generation 3, but the ledger's current generation is 2: changed outside genledger");
    expect((await home.run('verify')).code).toBe(4);

    const adopted = await home.runAs({ user: 'bob', uid: 1001 }, 'adopt', '-m', 'someone ran nix-env by hand');
    expect(adopted.code).toBe(0);
    expect(adopted.stderr).toContain(`found new generation 3 -> ${first}`);
    expect(await verifyProblems()).toEqual([]);
    const log = JSON.parse((await home.run('log', '--json')).stdout);
    const last = log.at(-1);
    expect(last).toMatchObject({ type: 'ExternalChangeObserved', actor: { user: 'bob' }, reason: 'someone ran nix-env by hand' });
    expect(last.data.generations[0]).toMatchObject({ generation: 3, base: 2, profilePath: first, createdAt: new Date(HAND_TIME * 1000).toISOString(), format: 'manifest.json v2' });
    expect(last.data.generations[0].changes).toEqual([{ name: 'greet', change: 'removed', storePaths: expect.any(Array) }]);
    expect(last.data.current).toEqual({ from: 2, to: 3, since: new Date((HAND_TIME + 1) * 1000).toISOString() });
    const list = JSON.parse((await home.run('profile', 'list', '--json')).stdout);
    expect(list).toMatchObject({ generation: 3, elements: [{ name: 'hello' }] });
  });

  it('records generation links deleted and retargeted by hand', async () => {
    const { first, second } = await twoGenerations();
    unlinkSync(join(profiles(), 'profile-1-link'));
    unlinkSync(join(profiles(), 'profile-2-link'));
    symlinkSync(first, join(profiles(), 'profile-2-link'));
    const problems = await verifyProblems();
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining(`generation 1 (-> ${first}) is gone from disk: changed outside genledger`),
      expect.stringContaining(`generation 2 points at ${first}, but the ledger says ${second}: changed outside genledger`),
    ]);
    const preview = await home.run('adopt', '--dry-run');
    expect(preview.stdout).toContain('would append ExternalChangeObserved');
    expect((await verifyProblems()).length).toBe(2);
    const adopted = JSON.parse((await home.run('adopt', '--json')).stdout);
    expect(adopted).toMatchObject({ profile: 'profile', generation: 2, events: ['ExternalChangeObserved'] });
    expect(adopted.drift.generations.map((g: { generation: number; kind: string }) => [g.generation, g.kind])).toEqual([
      [1, 'vanished'],
      [2, 'retargeted'],
    ]);
    expect(await verifyProblems()).toEqual([]);
    const generations = JSON.parse((await home.run('profile', 'list-generations', '--json')).stdout).generations;
    expect(generations.map((g: { generation: number; profilePath: string }) => [g.generation, g.profilePath])).toEqual([[2, first]]);
  });

  it('registers a store path put into the store directory by hand, with its references', async () => {
    const { first } = await twoGenerations();
    const hello = JSON.parse(readFileSync(join(first, 'manifest.json'), 'utf8')).elements[0].storePaths[0] as string;
    const storeDir = first.slice(0, first.lastIndexOf('/'));
    const made = join(storeDir, `${'x'.repeat(32)}-profile`);
    mkdirSync(join(made, 'bin'), { recursive: true });
    symlinkSync(join(hello, 'bin', 'hello'), join(made, 'bin', 'hello'));
    writeFileSync(join(made, 'manifest.json'), `{"elements":[{"active":true,"priority":7,"storePaths":["${hello}"]}],"version":2}`);
    chmodSync(made, 0o755);
    makeGenerationByHand(3, made);
    expect((await home.run('adopt')).code).toBe(0);
    const info = JSON.parse((await home.run('store', 'info', '--json', made)).stdout);
    expect(info[0]).toMatchObject({ path: made, references: [hello] });
    expect(info[0].ca).toBeUndefined();
    expect(await verifyProblems()).toEqual([]);
    const list = JSON.parse((await home.run('profile', 'list', '--json')).stdout);
    expect(list.elements).toMatchObject([{ name: 'hello', priority: 7 }]);
  });

  it('has nothing to do when the disk matches the ledger', async () => {
    await twoGenerations();
    const result = await home.run('adopt');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("nothing to do; profile 'profile' matches the disk");
    expect(JSON.parse((await home.run('log', '--json')).stdout).map((e: { type: string }) => e.type)).not.toContain('ExternalChangeObserved');
  });

  it('refuses a profile the ledger has never seen, pointing at import-nix', async () => {
    home = makeTestHome();
    const result = await home.run('adopt', '-p', 'nothing-here');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('genledger import-nix');
  });
});
