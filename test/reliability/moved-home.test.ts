/**
 * A home records where it was created (home.json). Moved or copied, it is
 * refused (exit 1, GENLEDGER_HOME_MOVED) before anything is touched: the old
 * directory is never re-created, and a copy never collects garbage in the
 * original's store. `relocate` accepts a moved home whose store lies
 * outside it, and refuses one whose store lies inside (its paths hash the
 * store's directory) and a copy.
 */
import { cpSync, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogPath, inProcessCli, ok } from './cli-runners.js';
import { snapshotTree } from './home-inspection.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

let scratch: Scratch;
beforeEach(() => {
  scratch = makeScratch('moved-home');
});
afterEach(() => scratch.cleanup());

function expectRefusal(result: { code: number; stderr: string }, code: string, fact: RegExp, hint: RegExp): void {
  expect(result.code, result.stderr).toBe(1);
  const [first, second, ...rest] = result.stderr.trimEnd().split('\n');
  expect(first).toMatch(fact);
  expect(second).toMatch(hint);
  expect(rest).toEqual([]);
  expect(code).toMatch(/^GENLEDGER_/);
}

async function installed(home: string, globalArgs: string[] = []): Promise<void> {
  const cli = inProcessCli(home, { globalArgs });
  await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
  await ok(cli, 'profile', 'install', `${catalogPath}#hello`);
}

describe('a home with its store inside it', () => {
  it('moved: every command is refused, the old place is not re-created, relocate refuses, moving it back works', async () => {
    const a = join(scratch.dir, 'a');
    const b = join(scratch.dir, 'b');
    await installed(a);
    renameSync(a, b);
    const moved = inProcessCli(b);
    for (const argv of [['profile', 'list'], ['gc'], ['profile', 'rollback']]) {
      expectRefusal(await moved(...argv), 'GENLEDGER_HOME_MOVED', new RegExp(`^genledger: this home was created at ${a} and is now at ${b}$`), /^hint: its store lies inside the home.*can never move/);
    }
    expect(JSON.parse((await moved('--json', 'profile', 'list')).stderr)).toMatchObject({ error: { code: 'GENLEDGER_HOME_MOVED' } });
    expect(existsSync(a), 'the old directory was not re-created').toBe(false);
    const relocate = await moved('relocate');
    expectRefusal(relocate, 'GENLEDGER_HOME_NOT_RELOCATABLE', /^genledger: this home's store lies inside it/, /export .* import/);
    const verify = await moved('verify', '--json');
    expect(verify.code).toBe(4);
    expect(JSON.parse(verify.stdout).problems).toEqual([expect.objectContaining({ kind: 'home-moved' })]);
    renameSync(b, a);
    await ok(inProcessCli(a), 'profile', 'list');
    expect((await inProcessCli(a)('verify')).code).toBe(0);
  });

  it('copied with cp -a: gc on the copy is refused and the original store stays intact', async () => {
    const a = join(scratch.dir, 'a');
    const b = join(scratch.dir, 'b');
    await installed(a);
    await ok(inProcessCli(a), 'profile', 'rollback');
    cpSync(a, b, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    const store = snapshotTree(join(a, 'store'));
    expectRefusal(await inProcessCli(b)('gc'), 'GENLEDGER_HOME_MOVED', /^genledger: this home was created at .* and is now at /, /^hint: /);
    expect(snapshotTree(join(a, 'store'))).toEqual(store);
    expect((await inProcessCli(a)('verify')).code).toBe(0);
  });
});

describe('a home with its store outside it (--store-dir /nix/store --store-root DIR)', () => {
  it('moved: refused until relocate, which records the new place; then commands work and verify is clean', async () => {
    const a = join(scratch.dir, 'a');
    const b = join(scratch.dir, 'b');
    const storeFlags = ['--store-dir', '/nix/store', '--store-root', join(scratch.dir, 'chroot')];
    await installed(a, storeFlags);
    renameSync(a, b);
    const moved = inProcessCli(b);
    expectRefusal(await moved('profile', 'list'), 'GENLEDGER_HOME_MOVED', /^genledger: this home was created at /, /^hint: .*genledger relocate/);
    const relocated = await moved('relocate');
    expect(relocated.code, relocated.stderr).toBe(0);
    expect(relocated.stdout).toBe(`relocated this home from ${a} to ${b}\n`);
    await ok(moved, 'profile', 'install', `${catalogPath}#figlet-lite`);
    await ok(moved, 'gc');
    expect((await moved('verify')).code).toBe(0);
    expect((await moved('relocate')).stdout).toBe(`this home is already recorded at ${b}\n`);
  });

  it('copied: relocate refuses, since the original still exists with the same id', async () => {
    const a = join(scratch.dir, 'a');
    const b = join(scratch.dir, 'b');
    await installed(a, ['--store-dir', '/nix/store', '--store-root', join(scratch.dir, 'chroot')]);
    cpSync(a, b, { recursive: true, verbatimSymlinks: true });
    expectRefusal(await inProcessCli(b)('relocate'), 'GENLEDGER_HOME_COPIED', /^genledger: the home at .* still exists with this home's id: this is a copy, not a move$/, /^hint: /);
  });
});
