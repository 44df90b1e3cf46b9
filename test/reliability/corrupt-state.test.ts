/**
 * Damage done to a home behind genledger's back is found by `verify`
 * (exit 4, naming what is wrong) and repaired by `replay` wherever the log
 * holds what is needed. A broken event is never skipped: every command
 * that reads its stream fails with exit 4 naming the stream and version,
 * and nothing is appended on top of it.
 *
 * The home of every case: greet installed (generation 1), then hello
 * (generation 2); the log has seq 1 ProfileCreated, 2 and 3 PackagesInstalled.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogPath, inProcessCli, ok } from './cli-runners.js';
import type { InProcessCli } from './cli-runners.js';
import { expectLinksMatchLedger, homeFiles } from './home-inspection.js';
import { checkpointKey, eventKey, ledgerEntries, logKey, rewriteValue, withRawDatabase } from './raw-database.js';
import { makeScratch, removeWritable } from './scratch.js';
import type { Scratch } from './scratch.js';

interface VerifyJson {
  readonly problems: ReadonlyArray<{ kind: string; message: string; seq?: number; stream?: string; path?: string }>;
}

let scratch: Scratch;
let home: string;
let cli: InProcessCli;

beforeEach(async () => {
  scratch = makeScratch('corrupt');
  home = join(scratch.dir, 'home');
  cli = inProcessCli(home);
  await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
  await ok(cli, 'profile', 'install', `${catalogPath}#hello`);
});
afterEach(() => scratch.cleanup());

async function verifyProblems(): Promise<VerifyJson['problems']> {
  const result = await cli('verify', '--json');
  const report = JSON.parse(result.stdout) as VerifyJson;
  expect(result.code, 'verify exits 4 exactly when it finds problems').toBe(report.problems.length === 0 ? 0 : 4);
  return report.problems;
}

const generationLink = (n: number) => join(home, 'profiles', `profile-${n}-link`);
const storePathOf = (n: number) => readlinkSync(generationLink(n));
const packagePath = (name: string) => {
  const manifest = JSON.parse(readFileSync(join(storePathOf(2), 'manifest.json'), 'utf8')) as { elements: Array<{ storePaths: string[] }> };
  const path = manifest.elements.flatMap((element) => element.storePaths).find((p) => p.endsWith(`-${name}`));
  if (path === undefined) throw new Error(`no ${name} in the profile`);
  return path;
};

/** The one line (and hint) of an expected error. */
function expectOneError(result: { code: number; stderr: string }, code: number, fact: RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(fact);
  expect(lines.slice(1).every((line) => line.startsWith('hint: ')), result.stderr).toBe(true);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
}

describe('a damaged event in the database', () => {
  const damages = [
    { name: 'a truncated value', change: (value: string) => value.slice(0, Math.floor(value.length / 2)), problem: 'is not valid JSON' },
    { name: 'a garbled value (valid JSON, one name changed)', change: (value: string) => value.replace('"hello"', '"jello"'), problem: 'does not match its hash' },
  ];

  it.each(damages)('$name is named by verify and by every command reading the stream, and nothing is appended on top', async ({ change, problem }) => {
    await rewriteValue(home, eventKey('profile', 3), (value) => {
      const changed = change(value);
      expect(changed).not.toBe(value);
      return changed;
    });
    const fact = new RegExp(`^genledger: event 3 of stream 'profile'( \\(seq 3\\))? ${problem}`);
    const before = await ledgerEntries(home);
    const problems = await verifyProblems();
    expect(problems).toContainEqual(expect.objectContaining({ stream: 'profile', message: expect.stringMatching(new RegExp(`event 3 of stream 'profile'.*${problem}`)) }));

    for (const argv of [
      ['profile', 'list'],
      ['profile', 'history'],
      ['log'],
      ['profile', 'install', `${catalogPath}#figlet-lite`],
      ['profile', 'remove', 'greet'],
      ['profile', 'rollback'],
      ['replay'],
    ]) {
      expectOneError(await cli(...argv), 4, fact);
    }
    expect(await ledgerEntries(home), 'no command wrote to the ledger').toEqual(before);
  });
});

describe('a damaged log entry', () => {
  it('is named by verify and by log, which never skips it', async () => {
    await rewriteValue(home, logKey(2), (value) => value.slice(0, 20));
    const problems = await verifyProblems();
    expect(problems).toContainEqual(expect.objectContaining({ seq: 2, message: expect.stringMatching(/^log entry 2 is not valid JSON/) }));
    expectOneError(await cli('log'), 4, /^genledger: log entry 2 is not valid JSON/);
    expectOneError(await cli('log', '--json'), 4, /"code":"GENLEDGER_CORRUPT_LOG"/);
  });
});

describe('a store path deleted by hand', () => {
  it('a package: verify names it missing, and replay (which cannot fetch it) leaves it reported', async () => {
    const hello = packagePath('hello-1.0');
    removeWritable(hello);
    const missing = expect.objectContaining({ kind: 'store-missing', path: hello, message: expect.stringContaining('missing from disk') });
    expect(await verifyProblems()).toContainEqual(missing);
    await cli('replay');
    expect(await verifyProblems()).toContainEqual(missing);
  });

  // A regression test: replay once exited 0 ("0 file operations") although a live generation's package was
  // gone; it says the store path is missing (exit 4), as verify does.
  it('a package: replay itself reports the store path missing instead of exiting 0', async () => {
    removeWritable(packagePath('hello-1.0'));
    expectOneError(await cli('replay'), 4, /missing/);
  });

  it('a profile store path: verify names it, and replay rebuilds it byte for byte from the packages', async () => {
    const profilePath = storePathOf(2);
    removeWritable(profilePath);
    const problems = await verifyProblems();
    expect(problems).toContainEqual(expect.objectContaining({ kind: 'store-missing', path: profilePath }));
    expect(problems).toContainEqual(expect.objectContaining({ kind: 'projection', message: expect.stringContaining(`build ${profilePath}`) }));
    await ok(cli, 'replay');
    expect(await verifyProblems()).toEqual([]);
    const contents = await cli('store', 'verify', '--contents', '--json');
    expect(JSON.parse(contents.stdout).problems).toEqual([]);
    expect(execFileSync(join(home, 'profiles', 'profile', 'bin', 'hello'), { encoding: 'utf8' })).toMatch(/^Hello/);
  });

  it('a profile store path and a package it links: replay refuses with exit 1, naming the missing package', async () => {
    const hello = packagePath('hello-1.0');
    removeWritable(storePathOf(2));
    removeWritable(hello);
    expectOneError(await cli('replay'), 1, new RegExp(`^genledger: package '${hello}' does not exist`));
    expect((await verifyProblems()).length).toBeGreaterThan(0);
  });
});

describe('a generation link replaced by a directory', () => {
  it('is named by verify and turned back into the link by replay', async () => {
    const target = storePathOf(1);
    unlinkSync(generationLink(1));
    mkdirSync(generationLink(1));
    writeFileSync(join(generationLink(1), 'planted'), 'not a generation\n');
    const problems = await verifyProblems();
    expect(problems.some((problem) => problem.message.includes('profile-1-link'))).toBe(true);
    await ok(cli, 'replay');
    expect(await verifyProblems()).toEqual([]);
    expect(lstatSync(generationLink(1)).isSymbolicLink()).toBe(true);
    expect(readlinkSync(generationLink(1))).toBe(target);
    await expectLinksMatchLedger(cli, home);
  });
});

describe('a manifest.json edited in place', () => {
  it('is found by store verify --contents (not by verify, which does not hash contents); removing the path lets replay rebuild it', async () => {
    const profilePath = storePathOf(2);
    const manifest = join(profilePath, 'manifest.json');
    chmodSync(profilePath, 0o755);
    chmodSync(manifest, 0o644);
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('hello', 'jello'));
    chmodSync(manifest, 0o444);
    chmodSync(profilePath, 0o555);

    expect(await verifyProblems(), 'verify checks that store paths exist, not their contents').toEqual([]);
    const contents = await cli('store', 'verify', '--contents', '--json');
    expect(contents.code).toBe(4);
    expect(JSON.parse(contents.stdout).problems).toEqual([expect.objectContaining({ path: profilePath, kind: 'corrupt', message: expect.stringContaining('was modified') })]);

    // replay sees a valid path and leaves it; the way back is to delete it and let replay rebuild it from the log.
    await ok(cli, 'replay');
    expect((await cli('store', 'verify', '--contents')).code).toBe(4);
    removeWritable(profilePath);
    await ok(cli, 'replay');
    expect((await cli('store', 'verify', '--contents')).code).toBe(0);
    expect(readFileSync(manifest, 'utf8')).not.toContain('jello');
  });
});

describe('the projection checkpoint deleted', () => {
  it('is named by verify, and replay (or just the next command) reconciles everything and records it again', async () => {
    const files = homeFiles(home);
    expect(await withRawDatabase(home, (db) => db.get(checkpointKey))).toBe('3');
    for (const repair of [['replay'], ['profile', 'list']]) {
      await withRawDatabase(home, (db) => db.del(checkpointKey));
      expect(await verifyProblems()).toEqual([expect.objectContaining({ kind: 'checkpoint', message: expect.stringContaining('checkpoint is missing') })]);
      await ok(cli, ...repair);
      expect(await withRawDatabase(home, (db) => db.get(checkpointKey)), repair.join(' ')).toBe('3');
      expect(await verifyProblems()).toEqual([]);
      expect(homeFiles(home), 'the disk was right all along: nothing changed').toEqual(files);
    }
  });

  it('with a generation link lost as well: verify names both, and the next command puts the link back', async () => {
    const target = storePathOf(1);
    await withRawDatabase(home, (db) => db.del(checkpointKey));
    unlinkSync(generationLink(1));
    const problems = await verifyProblems();
    expect(problems.some((problem) => problem.message.includes('generation 1'))).toBe(true);
    expect(problems.some((problem) => problem.kind === 'checkpoint')).toBe(true);
    await ok(cli, 'profile', 'list');
    expect(readlinkSync(generationLink(1))).toBe(target);
    expect(await verifyProblems()).toEqual([]);
  });
});

describe('a lost database beside existing generation links', () => {
  // A regression test: with db/ gone, the next command once opened an empty ledger (and a new install numbered its
  // generation 1, replacing the existing profile-1-link; gc deleted every store path). A home that has a ledger on
  // disk is now refused until recovered (lost-database.test.ts has every case).
  it('is refused with exit 4, and the generation links stay as they were', async () => {
    const target = storePathOf(1);
    rmSync(join(home, 'db'), { recursive: true, force: true });
    expect((await cli('profile', 'list', '--json')).code).toBe(4);
    expect((await cli('profile', 'install', `${catalogPath}#figlet-lite`)).code).toBe(4);
    expect(readlinkSync(generationLink(1))).toBe(target);
    expect((await verifyProblems()).map((problem) => problem.kind)).toEqual(['database-missing']);
  });
});
