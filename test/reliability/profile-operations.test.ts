/**
 * Profile operations act on what the user sees. A link into the store
 * (`./result`) installs its target, never the link; a profile switched
 * outside genledger (`nix-env --rollback`) is not silently switched back
 * by the next change; undo does not wander past a deleted generation; an
 * empty installable names nothing; profiles cannot be placed in the
 * store or among the home's own directories.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogPath, inProcessCli, ok, okJson, spawnCli } from './cli-runners.js';
import type { InProcessCli } from './cli-runners.js';
import { readLog } from './home-inspection.js';
import type { ProfileListJson } from './home-inspection.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

let scratch: Scratch;
let home: string;
let cli: InProcessCli;

beforeEach(() => {
  scratch = makeScratch('profile-ops');
  home = join(scratch.dir, 'home');
  cli = inProcessCli(home);
});
afterEach(() => scratch.cleanup());

function makePackage(name: string): string {
  const dir = join(scratch.dir, name);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'bin', name), `#!/bin/sh\necho ${name}\n`, { mode: 0o755 });
  return dir;
}

const storeEntries = () => (existsSync(join(home, 'store')) ? readdirSync(join(home, 'store')).sort() : []);

describe('installing through a link', () => {
  it('installs the store path a result link points at, adding nothing to the store', async () => {
    const added = (await ok(cli, 'store', 'add', makePackage('tool'))).stdout.trim();
    symlinkSync(added, join(scratch.dir, 'result'));
    const before = storeEntries();
    const run = await spawnCli(home, ['profile', 'install', './result'], { cwd: scratch.dir });
    expect(run.status, run.stderr).toBe(0);
    const list = await okJson<ProfileListJson>(cli, 'profile', 'list');
    expect(list.elements.map((element) => element.storePaths)).toEqual([[added]]);
    expect(storeEntries().filter((name) => !before.includes(name)).every((name) => name.endsWith('-profile'))).toBe(true);
  });

  it('installs what a relative link outside the store points at, not the link', async () => {
    makePackage('pkg');
    mkdirSync(join(scratch.dir, 'links'));
    symlinkSync('../pkg', join(scratch.dir, 'links', 'pkg-link'));
    const run = await spawnCli(home, ['profile', 'install', 'links/pkg-link'], { cwd: scratch.dir });
    expect(run.status, run.stderr).toBe(0);
    const direct = (await ok(cli, 'store', 'add', join(scratch.dir, 'pkg'))).stdout.trim();
    const list = await okJson<ProfileListJson>(cli, 'profile', 'list');
    expect(list.elements.map((element) => element.storePaths)).toEqual([[direct]]);
    expect((await cli('verify')).code).toBe(0);
  });

  it('refuses a broken link with one line', async () => {
    symlinkSync(join(scratch.dir, 'nowhere'), join(scratch.dir, 'dangling'));
    const run = await cli('profile', 'install', join(scratch.dir, 'dangling'));
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toContain('is a link to something that does not exist');
    expect(storeEntries()).toEqual([]);
  });
});

describe('a profile switched outside genledger', () => {
  beforeEach(async () => {
    await ok(cli, 'profile', 'install', `${catalogPath}#hello`);
    await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
    // What `nix-env --rollback` does: point the profile link at the older generation.
    const link = join(home, 'profiles', 'profile');
    rmSync(link);
    symlinkSync('profile-1-link', link);
  });

  it('refuses the next change, naming the drift and adopt, and changes nothing', async () => {
    const events = await readLog(cli);
    const refused = await cli('profile', 'install', `${catalogPath}#hello`, '--priority', '3');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("genledger: profile 'profile' points at generation 1, but the ledger's current generation is 2: it was changed outside genledger");
    expect(refused.stderr).toContain("hint: record it first with 'genledger adopt -p profile', or run the command again with --adopt");
    expect(await readLog(cli)).toEqual(events);
    expect(readlinkSync(join(home, 'profiles', 'profile'))).toBe('profile-1-link');
  });

  it('with --adopt records the switch first, then builds on the generation the user chose', async () => {
    const run = await cli('profile', 'remove', 'hello', '--adopt');
    expect(run.code, run.stderr).toBe(0);
    const types = (await readLog(cli)).map((event) => event.type);
    expect(types.slice(-2)).toEqual(['ExternalChangeObserved', 'PackagesRemoved']);
    const list = await okJson<ProfileListJson>(cli, 'profile', 'list');
    expect(list.elements).toEqual([]);
    expect((await cli('verify')).code).toBe(0);
  });

  it('refuses --adopt with --dry-run as a usage error', async () => {
    expect((await cli('profile', 'remove', 'hello', '--adopt', '--dry-run')).code).toBe(2);
  });
});

describe('undo', () => {
  it('refuses, pointing at profile restore, when the generation it would go back to was deleted', async () => {
    await ok(cli, 'profile', 'install', `${catalogPath}#hello`);
    await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
    await ok(cli, 'profile', 'delete-generations', '1');
    const events = await readLog(cli);
    const run = await cli('profile', 'undo');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("genledger: undo would go back to generation 1, which was deleted\nhint: 'genledger profile restore 1' rebuilds it as a new generation\n");
    expect(await readLog(cli)).toEqual(events);
  });
});

describe('installables and profile places that name nothing sensible', () => {
  it('refuses an empty installable as a usage error, adding nothing', async () => {
    const run = await cli('profile', 'install', '');
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('genledger: an empty installable names nothing');
    expect(storeEntries()).toEqual([]);
  });

  it.each(['store/mine', 'db/mine', 'gcroots/mine', 'run/mine'])('refuses a profile at HOME/%s on a fresh home, creating nothing there', async (place) => {
    const run = await cli('-p', join(home, place), 'profile', 'install', `${catalogPath}#hello`);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toMatch(/would live (inside the store|in the state home's own directory)/);
    expect(existsSync(join(home, place))).toBe(false);
  });
});

describe.skipIf(!hasNixEnv())('after a real nix-env --rollback', () => {
  it('the next genledger change is refused until the rollback is adopted', async () => {
    await ok(cli, 'profile', 'install', `${catalogPath}#hello`);
    await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
    execFileSync('nix-env', ['--rollback', '-p', join(home, 'profiles', 'profile')], { stdio: 'pipe' });
    expect((await cli('profile', 'remove', 'hello')).code).toBe(1);
    await ok(cli, 'adopt');
    await ok(cli, 'profile', 'remove', 'hello');
    expect((await okJson<ProfileListJson>(cli, 'profile', 'list')).elements).toEqual([]);
  });
});

function hasNixEnv(): boolean {
  try {
    execFileSync('nix-env', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    console.warn('skipping the nix-env case: nix-env is not installed (apt-get install nix-bin)');
    return false;
  }
}
