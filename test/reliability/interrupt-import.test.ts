/**
 * Ctrl-C and SIGTERM in `import`: it stops between two store paths while
 * the bundle's cache is copied into the store, or between two streams
 * while their events are appended, exits 130 or 143 with one true line,
 * and leaves no more than a crash (SIGKILL) at the same point leaves, which
 * each case runs beside it. Importing again finishes the job: the homes
 * end as after an uninterrupted import. The process is held at a known
 * step (GENLEDGER_FAULT=during-import@N:pause) when the signal is sent.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopCheckIntervalMs } from '../../src/interruption.js';
import { inProcessCli, ok, spawnCli } from './cli-runners.js';
import type { InProcessCli, Spawned } from './cli-runners.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

interface VerifyJson {
  readonly problems: Array<{ kind: string; message: string; path?: string }>;
}

interface DryRunJson {
  readonly streams: Array<{ stream: string }>;
  readonly substituted: unknown[];
}

const catalog = join(process.cwd(), 'examples', 'catalog.json');

let scratch: Scratch;
let bundle: string;
let homes = 0;
/** The bundle's store paths to add, and its streams in the order they are appended. */
let paths: number;
let streams: string[];
/** `log --json` and `profile list --json` of each profile after an uninterrupted import. */
let expected: Awaited<ReturnType<typeof observe>>;

interface Target {
  readonly home: string;
  /** A chroot store named /nix/store: the bundle's store paths are named for that. */
  readonly storeArgs: string[];
  readonly cli: InProcessCli;
}

function newHome(): Target {
  const home = join(scratch.dir, `home-${++homes}`);
  const storeArgs = ['--store-dir', '/nix/store', '--store-root', join(scratch.dir, `root-${homes}`)];
  return { home, storeArgs, cli: inProcessCli(home, { globalArgs: storeArgs }) };
}

/** What a user sees of the imported home: the log and each profile. The commands finish any pending projection first. */
async function observe(cli: InProcessCli) {
  const log = (JSON.parse((await ok(cli, 'log', '--json')).stdout) as Array<Record<string, unknown>>).map(({ seq: _seq, ...event }) => event);
  const profiles: Record<string, unknown> = {};
  for (const stream of streams) profiles[stream] = JSON.parse((await ok(cli, '-p', stream, 'profile', 'list', '--json')).stdout);
  return { log, profiles };
}

/** Verify's problems, with what differs between two homes (their directory, the gc root names made from it) left out. */
async function verifyProblems({ home, cli }: Target): Promise<string[]> {
  const report = await cli('--json', 'verify');
  expect(report.stdout, report.stderr).not.toBe('');
  return (JSON.parse(report.stdout) as VerifyJson).problems
    .map((problem) => `${problem.kind}: ${problem.message}`.replaceAll(home, '<home>').replace(/gcroots\/auto\/[0-9a-z]+/g, 'gcroots/auto/<root>'))
    .sort();
}

/** A home that exists before the import: a store path of its own, no event. */
async function existingHome(): Promise<Target> {
  const target = newHome();
  const dir = join(scratch.dir, `own-${homes}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'note'), 'kept\n');
  await ok(target.cli, 'store', 'add', dir);
  return target;
}

/** Runs `import` held at `fault`, sends `signal` there, lets it go on, and returns how it ended. */
async function stoppedAt({ home, storeArgs }: Target, fault: string, signal: NodeJS.Signals = 'SIGINT'): Promise<Spawned> {
  const pauseFile = join(scratch.dir, 'paused');
  const run = spawnCli(home, [...storeArgs, 'import', bundle], { fault, env: { GENLEDGER_FAULT_PAUSE: pauseFile }, timeoutMs: 120_000 });
  let ended = false;
  void run.then(() => void (ended = true));
  while (!existsSync(pauseFile) || !readFileSync(pauseFile, 'utf8').endsWith('\n')) {
    if (ended) throw new Error(`import ended before reaching its pause: ${(await run).stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  process.kill(Number(readFileSync(pauseFile, 'utf8')), signal);
  // Held this long, the process takes a full stop point at its next safe point: not a race, it is blocked meanwhile.
  await new Promise((resolve) => setTimeout(resolve, stopCheckIntervalMs + 10));
  rmSync(pauseFile);
  return run;
}

/** What a crash at `fault` leaves, as verify reports it, in a home of its own. */
async function crashedAt(target: Target, fault: string): Promise<string[]> {
  const crashed = await spawnCli(target.home, [...target.storeArgs, 'import', bundle], { fault, timeoutMs: 120_000 });
  expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
  return verifyProblems(target);
}

/** Importing again finishes the import, fetching only the `fetched` paths the stop did not add, and the home is as after an uninterrupted one. */
async function expectFinishedByNextImport(target: Target, fetched: number): Promise<void> {
  const { cli } = target;
  const finished = JSON.parse((await ok(cli, 'import', bundle, '--json')).stdout) as DryRunJson;
  expect(finished.substituted).toHaveLength(fetched);
  expect(await verifyProblems(target)).toEqual([]);
  expect(await observe(cli)).toEqual(expected);
  const again = await ok(cli, 'import', bundle, '--json');
  expect(JSON.parse(again.stdout)).toMatchObject({ upToDate: true });
}

beforeAll(async () => {
  scratch = makeScratch('interrupt-import');
  const origin = newHome();
  await ok(origin.cli, 'profile', 'install', `${catalog}#hello`);
  await ok(origin.cli, 'profile', 'install', `${catalog}#greet`);
  await ok(origin.cli, '-p', 'second', 'profile', 'install', `${catalog}#figlet-lite`);
  bundle = join(scratch.dir, 'bundle');
  await ok(origin.cli, 'export', '--with-store', '--to', bundle);
  const reference = newHome();
  const plan = JSON.parse((await ok(reference.cli, 'import', bundle, '--dry-run', '--json')).stdout) as DryRunJson;
  paths = plan.substituted.length;
  streams = plan.streams.map((entry) => entry.stream);
  await ok(reference.cli, 'import', bundle);
  expected = await observe(reference.cli);
}, 120_000);

afterAll(() => scratch?.cleanup());

describe('import stopped by a signal', () => {
  it('has store paths to add and two streams to append (what the cases below stop between)', () => {
    expect(paths).toBeGreaterThanOrEqual(3);
    expect(streams).toHaveLength(2);
  });

  it('SIGINT while adding the store paths: exit 130, nothing changed, no more left than a crash there leaves, the next import finishes', async () => {
    const target = await existingHome();
    const result = await stoppedAt(target, 'during-import@2:pause');
    expect(result.status, result.stderr).toBe(130);
    expect(result.stderr).toBe("genledger: interrupted while adding the bundle's store paths, before anything was recorded; nothing changed\n");
    expect(result.stdout).toBe('');
    const problems = await verifyProblems(target);
    expect(problems).toEqual(await crashedAt(await existingHome(), 'during-import@2'));
    expect(problems).toEqual([]);
    expect(JSON.parse((await ok(target.cli, 'log', '--json')).stdout)).toEqual([]);
    // The two paths added stay valid, named by no event (dead, for the next gc); the next import does not fetch them again.
    await expectFinishedByNextImport(target, paths - 2);
  });

  it('SIGTERM after the last store path of a first import: exit 143, no home made, as a crash there', async () => {
    const target = newHome();
    const result = await stoppedAt(target, `during-import@${paths}:pause`, 'SIGTERM');
    expect(result.status, result.stderr).toBe(143);
    expect(result.stderr).toBe("genledger: interrupted while adding the bundle's store paths, before anything was recorded; nothing changed\n");
    const crashed = newHome();
    expect((await spawnCli(crashed.home, [...crashed.storeArgs, 'import', bundle], { fault: `during-import@${paths}` })).signal).toBe('SIGKILL');
    // The stop leaves less: the unwinding command removes the home it had begun; a crash leaves it, with nothing recorded.
    expect(existsSync(target.home)).toBe(false);
    expect(await verifyProblems(crashed)).toEqual([]);
    expect(JSON.parse((await ok(crashed.cli, 'log', '--json')).stdout)).toEqual([]);
    // With the home went the store's records of the paths added: the next import fetches them all again, over the unregistered trees.
    await expectFinishedByNextImport(target, paths);
  });

  it('SIGINT between two streams: exit 130, the first stream is recorded for the next command, the next import appends the second', async () => {
    const target = await existingHome();
    const { cli } = target;
    const fault = `during-import@${paths + 2}:pause`;
    const result = await stoppedAt(target, fault);
    expect(result.status, result.stderr).toBe(130);
    expect(result.stderr).toBe(`genledger: interrupted while importing stream '${streams[1]}'; the event is recorded, the next genledger command finishes it\n`);
    expect(await verifyProblems(target)).toEqual(await crashedAt(await existingHome(), fault.replace(':pause', '')));
    // The next command's catch-up projects the first stream; the second is not here yet.
    const listed = JSON.parse((await ok(cli, '-p', streams[0] as string, 'profile', 'list', '--json')).stdout);
    expect(listed).toEqual(expected.profiles[streams[0] as string]);
    expect(await verifyProblems(target)).toEqual([]);
    const log = JSON.parse((await ok(cli, 'log', '--json')).stdout) as Array<{ stream: string }>;
    expect(new Set(log.map((event) => event.stream))).toEqual(new Set([streams[0]]));
    await expectFinishedByNextImport(target, 0);
  });
});
