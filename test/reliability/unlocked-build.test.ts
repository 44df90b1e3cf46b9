/**
 * A big profile build writes its tree with the database lock given up
 * (src/app/profile/unlocked-build.ts): readers and other writers get in while it
 * writes, a writer that got in makes the builder decide again, gc keeps the
 * tree being written, and a kill while writing leaves only a temporary
 * entry that gc removes. The build is a 40,000-entry profile: 20 packages
 * of 2,000 files sharing bin/ and share/data/, as the bench's.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inProcessCli, ok, okJson, spawnCli } from './cli-runners.js';
import type { InProcessCli, Spawned } from './cli-runners.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

interface VerifyJson {
  problems: unknown[];
}

interface ListJson {
  generation: number | null;
  elements: { name: string }[];
}

interface GenerationsJson {
  generations: { generation: number; current: boolean }[];
}

const packages = 20;
// On tmpfs when there is one: the test is about the lock, and syncing 80,000 new files on a shared disk takes minutes.
const base = existsSync('/dev/shm') ? '/dev/shm' : undefined;
let sources: Scratch;
let scratch: Scratch;
let home: string;
let cli: InProcessCli;
let paths: string[];

beforeAll(() => {
  sources = makeScratch('unlocked-build-sources', base);
  for (let p = 0; p < packages; p++) {
    for (const dir of ['bin', 'share/data']) {
      mkdirSync(join(sources.dir, `pkg${p}`, dir), { recursive: true });
      for (let f = 0; f < 1000; f++) writeFileSync(join(sources.dir, `pkg${p}`, dir, `p${p}-${f}`), `${dir} ${p} ${f}\n`);
    }
  }
  mkdirSync(join(sources.dir, 'small'));
  writeFileSync(join(sources.dir, 'small', 'README'), 'small\n');
});

afterAll(() => sources.cleanup());

beforeEach(async () => {
  scratch = makeScratch('unlocked-build', base);
  home = join(scratch.dir, 'home');
  cli = inProcessCli(home);
  paths = [];
  for (let p = 0; p < packages; p++) paths.push((await ok(cli, 'store', 'add', join(sources.dir, `pkg${p}`))).stdout.trim());
});

afterEach(() => scratch.cleanup());

/**
 * Starts the big install in its own process and resolves once it is held in
 * the middle of writing its tree, with the lock given up (a pause hook, not a
 * race against the clock). `resume` lets it go on.
 */
async function startBigInstall(): Promise<{ writer: Promise<Spawned>; writerEnded: () => boolean; resume: () => void }> {
  const pauseFile = join(scratch.dir, 'paused');
  const writer = spawnCli(home, ['profile', 'install', ...paths], { fault: 'during-tree-build:pause', env: { GENLEDGER_FAULT_PAUSE: pauseFile }, timeoutMs: 120_000 });
  let ended = false;
  void writer.then(() => void (ended = true));
  while (!existsSync(pauseFile)) {
    if (ended) throw new Error(`the install ended before writing its tree: ${(await writer).stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return { writer, writerEnded: () => ended, resume: () => rmSync(pauseFile) };
}

function temporaryEntries(): string[] {
  try {
    return readdirSync(join(home, 'store')).filter((name) => name.startsWith('.tmp-'));
  } catch {
    return [];
  }
}

describe('a big profile build gives the database lock up while it writes', () => {
  it('lets profile list and log run meanwhile, without waiting for the whole build', async () => {
    const { writer, writerEnded, resume } = await startBigInstall();
    const [list, log] = await Promise.all([
      spawnCli(home, ['profile', 'list', '--json', '--lock-timeout', '5']),
      spawnCli(home, ['log', '--json', '--lock-timeout', '5']),
    ]);
    expect(list.status, list.stderr).toBe(0);
    expect(log.status, log.stderr).toBe(0);
    expect(writerEnded()).toBe(false);
    expect((JSON.parse(list.stdout) as ListJson).elements).toEqual([]);
    resume();
    const build = await writer;
    expect(build.status, build.stderr).toBe(0);
    expect((await okJson<ListJson>(cli, 'profile', 'list')).elements).toHaveLength(packages);
    expect((await okJson<VerifyJson>(cli, 'verify')).problems).toEqual([]);
    expect(temporaryEntries()).toEqual([]);
  });

  it('decides again when another writer appended meanwhile: both changes land, generations without gaps', async () => {
    const { writer, resume } = await startBigInstall();
    await ok(cli, 'profile', 'install', join(sources.dir, 'small'));
    resume();
    const build = await writer;
    expect(build.status, build.stderr).toBe(0);
    const list = await okJson<ListJson>(cli, 'profile', 'list');
    expect(list.elements.map((element) => element.name).sort()).toEqual(['small', ...paths.map((_, p) => `pkg${p}`)].sort());
    // The small install got in while the big one was writing: it is generation 1, the big one, decided again on top of it, 2.
    const generations = await okJson<GenerationsJson>(cli, 'profile', 'list-generations');
    expect(generations.generations.map((generation) => generation.generation)).toEqual([1, 2]);
    expect((await okJson<ListJson>(cli, 'profile', 'list', '--generation', '1')).elements.map((element) => element.name)).toEqual(['small']);
    expect((await okJson<VerifyJson>(cli, 'verify')).problems).toEqual([]);
    expect(temporaryEntries()).toEqual([]);
  });

  it('keeps the tree being written, and the packages it links to, through a gc run meanwhile', async () => {
    const { writer, resume } = await startBigInstall();
    await ok(cli, 'gc');
    resume();
    const build = await writer;
    expect(build.status, build.stderr).toBe(0);
    expect((await okJson<ListJson>(cli, 'profile', 'list')).elements).toHaveLength(packages);
    expect((await okJson<VerifyJson>(cli, 'verify')).problems).toEqual([]);
    expect(temporaryEntries()).toEqual([]);
  });

  it('killed after writing, before taking the lock back: nothing recorded, gc removes the tree, verify clean', async () => {
    const build = await spawnCli(home, ['profile', 'install', ...paths], { fault: 'before-relock', timeoutMs: 120_000 });
    expect(build.signal).toBe('SIGKILL');
    expect(temporaryEntries()).toHaveLength(1);
    expect((await okJson<ListJson>(cli, 'profile', 'list')).elements).toEqual([]);
    await ok(cli, 'profile', 'install', paths[0] as string);
    await ok(cli, 'gc');
    expect(temporaryEntries()).toEqual([]);
    expect((await okJson<ListJson>(cli, 'profile', 'list')).generation).toBe(1);
    expect((await okJson<VerifyJson>(cli, 'verify')).problems).toEqual([]);
  });
});
