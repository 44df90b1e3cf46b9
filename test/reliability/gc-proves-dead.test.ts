/**
 * gc deletes only what it can prove dead (issue 11): entries the home does
 * not know survive and are reported, a store is one home's, a Nix-managed
 * store is Nix's to collect, a running program keeps its store paths and
 * their closure, an interrupted collection is reported and finished, and a
 * reader is not kept waiting while a collection deletes.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inProcessCli, ok, okJson, spawnCli } from './cli-runners.js';
import type { InProcessCli } from './cli-runners.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

interface GcJson {
  readonly dryRun: boolean;
  readonly deleted: string[];
  readonly bytesFreed: number;
  readonly removedTemporary: string[];
  readonly removedUnknown: string[];
  readonly unknown: string[];
}

interface VerifyJson {
  readonly problems: Array<{ kind: string; message: string; path?: string }>;
}

const nixMissing = spawnSync('nix-store', ['--version']).status !== 0;
/** A pid above Linux's pid_max: no process has it. */
const DEAD_PID = 9_999_999;
const FOREIGN = `${'7'.repeat(32)}-someone-elses`;

let scratch: Scratch;
let home: string;
let cli: InProcessCli;

beforeEach(() => {
  scratch = makeScratch('gc-dead');
  home = join(scratch.dir, 'home');
  cli = inProcessCli(home);
});

afterEach(() => scratch.cleanup());

function source(name: string, files: Record<string, string>): string {
  const dir = join(scratch.dir, 'src', name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

async function storeAdd(target: InProcessCli, dir: string, ...flags: string[]): Promise<string> {
  return (await ok(target, 'store', 'add', ...flags, dir)).stdout.trim();
}

function errorCode(result: { stderr: string }): string {
  return (JSON.parse(result.stderr) as { error: { code: string } }).error.code;
}

describe('entries the home does not know', () => {
  it('are kept and listed; temporary entries go only once their process is gone; --delete-unknown takes store-path names only', async () => {
    const dead = await storeAdd(cli, source('dead', { a: 'dead\n' }));
    const store = join(home, 'store');
    mkdirSync(join(store, FOREIGN, 'bin'), { recursive: true });
    writeFileSync(join(store, 'stray'), 'not a store path');
    const deadTemp = `.tmp-${DEAD_PID}-abcdef012345`;
    const liveTemp = `.tmp-${process.pid}-abcdef012345`;
    mkdirSync(join(store, deadTemp));
    mkdirSync(join(store, liveTemp));

    const dry = await okJson<GcJson>(cli, 'gc', '--dry-run');
    expect(dry).toEqual({ dryRun: true, deleted: [dead], bytesFreed: dry.bytesFreed, removedInterrupted: [], removedTemporary: [deadTemp], removedUnknown: [], unknown: [liveTemp, FOREIGN, 'stray'].sort() });
    const done = await okJson<GcJson>(cli, 'gc');
    expect({ ...done, dryRun: true }).toEqual(dry);
    expect(readdirSync(store).sort()).toEqual([liveTemp, FOREIGN, 'stray'].sort());
    const text = await ok(cli, 'gc');
    expect(text.stderr).toContain('3 store entries this home does not know were kept');

    const deleting = await okJson<GcJson>(cli, 'gc', '--delete-unknown');
    expect(deleting.removedUnknown).toEqual([FOREIGN]);
    expect(readdirSync(store).sort()).toEqual([liveTemp, 'stray'].sort());
  });
});

describe('a store is one home\'s', () => {
  it('refuses a second home on a claimed --store-root', async () => {
    const flags = ['--store-dir', '/nix/store', '--store-root', join(scratch.dir, 'root')];
    const first = inProcessCli(home, { globalArgs: flags });
    const kept = await storeAdd(first, source('kept', { a: 'first home\n' }));
    const second = inProcessCli(join(scratch.dir, 'second'), { globalArgs: flags });
    for (const argv of [['gc'], ['gc', '--dry-run'], ['profile', 'list']]) {
      const refused = await second('--json', ...argv);
      expect(refused.code, refused.stderr).toBe(1);
      expect(errorCode(refused)).toBe('GENLEDGER_STORE_CLAIMED');
      expect(JSON.parse(refused.stderr).error.message).toContain(home);
    }
    expect(existsSync(join(scratch.dir, 'root', kept))).toBe(true);
    await ok(first, 'gc', '--dry-run');
  });

  it('refuses a copied home that still names the original\'s store', async () => {
    await storeAdd(cli, source('kept', { a: 'original\n' }));
    const copy = join(scratch.dir, 'copy');
    cpSync(home, copy, { recursive: true, verbatimSymlinks: true });
    const refused = await inProcessCli(copy)('--json', 'gc');
    expect(refused.code).toBe(1);
    expect(errorCode(refused)).toBe('GENLEDGER_HOME_MOVED');
    // A home from before home markers: the marker it gets names the copy, and the store's claim still refuses it.
    rmSync(join(copy, 'home.json'));
    const unmarked = await inProcessCli(copy)('--json', 'gc');
    expect(unmarked.code).toBe(1);
    expect(errorCode(unmarked)).toBe('GENLEDGER_STORE_CLAIMED');
  });
});

describe.skipIf(nixMissing)('a Nix-managed store', () => {
  it('is never collected by genledger, and a dry run deletes nothing of Nix\'s', async () => {
    const root = join(scratch.dir, 'nixroot');
    const nixPath = execFileSync('nix-store', ['--store', root, '--add', source('nix-owned', { a: 'nix\n' })], { encoding: 'utf8' }).trim();
    const chroot = inProcessCli(home, { globalArgs: ['--store-dir', '/nix/store', '--store-root', root] });
    const ours = await storeAdd(chroot, source('ours', { a: 'genledger\n' }));
    const refused = await chroot('--json', 'gc');
    expect(refused.code).toBe(1);
    expect(errorCode(refused)).toBe('GENLEDGER_NIX_MANAGED_STORE');
    expect(JSON.parse(refused.stderr).error.hint).toContain('nix-store --gc');
    const dry = await okJson<GcJson>(chroot, 'gc', '--dry-run');
    expect(dry.deleted).toEqual([ours]);
    expect(dry.unknown).toContain(nixPath.slice('/nix/store/'.length));
    expect(existsSync(join(root, nixPath))).toBe(true);
    expect(existsSync(join(root, ours))).toBe(true);
  });
});

describe('a program running from a store path', () => {
  it('keeps that path and its closure alive until it exits', async () => {
    const library = await storeAdd(cli, source('library', { data: 'a library\n' }));
    const programDir = source('program', { 'uses-library': `${library}\n` });
    copyFileSync('/bin/sleep', join(programDir, 'sleep'));
    const program = await storeAdd(cli, programDir, '--scan-references');
    const running = spawn(join(program, 'sleep'), ['60'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => running.once('spawn', resolve));
      const dry = await okJson<GcJson>(cli, 'gc', '--dry-run');
      expect(dry.deleted).toEqual([]);
      expect((await okJson<GcJson>(cli, 'gc')).deleted).toEqual([]);
      expect(existsSync(join(program, 'sleep'))).toBe(true);
      expect(existsSync(join(library, 'data'))).toBe(true);
    } finally {
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    }
    expect((await okJson<GcJson>(cli, 'gc')).deleted).toEqual([program, library]);
    expect(existsSync(program)).toBe(false);
  });

  it('keeps a path a process holds open, as Nix does', async () => {
    const held = await storeAdd(cli, source('held', { file: 'open me\n' }));
    const running = spawn('sh', ['-c', `exec 3<${join(held, 'file')}; exec sleep 60`], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => running.once('spawn', resolve));
      await waitFor(() => readdirSafe(`/proc/${running.pid}/fd`).length > 3);
      expect((await okJson<GcJson>(cli, 'gc')).deleted).toEqual([]);
    } finally {
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    }
    expect((await okJson<GcJson>(cli, 'gc')).deleted).toEqual([held]);
  });
});

describe('an interrupted collection', () => {
  it.each(['during-gc@2', 'after-trash@1'])('killed at %s, is reported by verify and finished by the next gc', async (fault) => {
    await storeAdd(cli, source('one', { a: '1\n' }));
    await storeAdd(cli, source('two', { a: '2\n' }));
    await storeAdd(cli, source('three', { a: '3\n' }));
    const crashed = await spawnCli(home, ['gc'], { fault });
    expect(crashed.signal).toBe('SIGKILL');
    const report = await cli('--json', 'verify');
    expect(report.code).toBe(4);
    const kinds = (JSON.parse(report.stdout) as VerifyJson).problems.map((problem) => problem.kind);
    // A kill before the checkpoint is recorded also leaves the checkpoint behind the log, which verify reports as before.
    expect(kinds).toContain('store-half-deleted');
    expect(kinds.filter((kind) => kind !== 'store-half-deleted' && kind !== 'checkpoint')).toEqual([]);
    for (const problem of (JSON.parse(report.stdout) as VerifyJson).problems.filter((p) => p.kind === 'store-half-deleted')) expect(problem.message).toContain('run genledger gc');
    await ok(cli, 'gc');
    expect((await okJson<VerifyJson>(cli, 'verify')).problems).toEqual([]);
    expect(readdirSync(join(home, 'store'))).toEqual([]);
  });
});

describe('a reader during a long collection', () => {
  it('lists the profile while the trees are deleted: the lock is given up first', async () => {
    await ok(cli, 'profile', 'install', join(process.cwd(), 'examples', 'catalog.json#hello'));
    // A dead tree: the collection renames it into the trash under the lock, and deletes it after giving the lock up.
    const dead = join(scratch.dir, 'dead');
    mkdirSync(dead);
    for (let file = 0; file < 100; file++) writeFileSync(join(dead, `f${file}`), `${file}\n`);
    await ok(cli, 'store', 'add', dead);
    const trash = join(home, 'store', '.genledger-trash');
    // The collection is held just before it deletes the trash (a pause hook, not a race against the clock).
    const pauseFile = join(scratch.dir, 'paused');
    const gc = spawnCli(home, ['gc'], { fault: 'after-trash:pause', env: { GENLEDGER_FAULT_PAUSE: pauseFile }, timeoutMs: 120_000 });
    let gcEnded = false;
    void gc.then(() => void (gcEnded = true));
    while (!existsSync(pauseFile)) {
      if (gcEnded) throw new Error(`gc ended before deleting the trash: ${(await gc).stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const reader = await spawnCli(home, ['profile', 'list', '--json', '--lock-timeout', '5']);
    expect(reader.status, reader.stderr).toBe(0);
    expect(gcEnded).toBe(false);
    expect(existsSync(trash)).toBe(true);
    rmSync(pauseFile);
    expect((await gc).status).toBe(0);
    expect(existsSync(trash)).toBe(false);
  });
});

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the condition never held');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
