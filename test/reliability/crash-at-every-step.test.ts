/**
 * Nothing is lost and nothing is half-done when the process dies. Every
 * mutating command is run as a real process with GENLEDGER_FAULT=<step>@N
 * for every step it reaches, and dies there by SIGKILL. Then the next
 * command, a gc and verify must find a consistent home: the command's
 * events are all in the log or none are (never a partial or corrupt one),
 * the links are those of the ledger, no temporary entry is left, and the
 * profile is the one before or the one after the command, never a mix.
 * A step a command does not reach must leave it running to completion.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultSteps } from '../../src/fault-injection.js';
import type { FaultStep } from '../../src/fault-injection.js';
import { inProcessCli, ok, okJson, spawnCli } from './cli-runners.js';
import type { InProcessCli } from './cli-runners.js';
import { copyExamples, crashScenarios, stepsAfterAppend } from './crash-scenarios.js';
import type { CrashScenario } from './crash-scenarios.js';
import { expectLinksMatchLedger, readLog, tempLeftovers } from './home-inspection.js';
import type { GenerationsJson, LoggedEvent, ProfileListJson } from './home-inspection.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

/** What a home looks like to a user, independent of where it lives (store paths differ between homes). */
interface Observed {
  readonly generation: number | null;
  readonly elements: readonly string[];
  readonly generations: readonly number[];
  /** Store entries without their hash part, after a gc. */
  readonly store: readonly string[];
}

async function observe(cli: InProcessCli, home: string): Promise<Observed> {
  const list = await okJson<ProfileListJson>(cli, 'profile', 'list');
  const generations = await okJson<GenerationsJson>(cli, 'profile', 'list-generations');
  const storeDir = join(home, 'store');
  return {
    generation: list.generation,
    elements: list.elements.map((element) => element.name).sort(),
    generations: generations.generations.map((g) => g.generation),
    store: existsSync(storeDir) ? readdirSync(storeDir).map((name) => name.slice(33)).sort() : [],
  };
}

interface Reference {
  /** The home as prepared, after a gc. */
  readonly before: Observed;
  /** The home after the command ran to completion, after a gc. */
  readonly after: Observed;
}

/** Runs the scenario without faults, in-process, on two fresh homes: what "not happened" and "happened" look like. */
async function reference(scenario: CrashScenario): Promise<Reference> {
  const scratch = makeScratch('crash-ref');
  try {
    copyExamples(scratch.dir);
    const untouched = inProcessCli(join(scratch.dir, 'before'));
    const changed = inProcessCli(join(scratch.dir, 'after'));
    await scenario.prepare(untouched, scratch.dir);
    await ok(untouched, 'gc');
    const before = await observe(untouched, join(scratch.dir, 'before'));
    const work = join(scratch.dir, 'again');
    copyExamples(work);
    await scenario.prepare(changed, work);
    await ok(changed, ...scenario.command(work));
    await ok(changed, 'gc');
    return { before, after: await observe(changed, join(scratch.dir, 'after')) };
  } finally {
    scratch.cleanup();
  }
}

interface CrashCase {
  readonly scratch: Scratch;
  readonly home: string;
  readonly cli: InProcessCli;
  readonly logBefore: readonly LoggedEvent[];
}

async function preparedHome(scenario: CrashScenario): Promise<CrashCase> {
  const scratch = makeScratch('crash');
  copyExamples(scratch.dir);
  const home = join(scratch.dir, 'home');
  const cli = inProcessCli(home);
  await scenario.prepare(cli, scratch.dir);
  return { scratch, home, cli, logBefore: await readLog(cli) };
}

/** The checks after the process died (or finished): run the next command and a gc, then look at everything. */
async function expectConsistent(scenario: CrashScenario, run: CrashCase, landed: boolean, expected: Reference): Promise<void> {
  const { cli, home, logBefore } = run;
  const next = await cli('profile', 'list');
  expect(next.code, next.stderr).toBe(0);
  expect(next.stderr, 'the next command finishes the projection without a warning').toBe('');
  // Before gc: whatever the dead process registered in the store is whole (a half-written path would hash wrong).
  const contents = await cli('store', 'verify', '--contents', '--json');
  expect(JSON.parse(contents.stdout).problems).toEqual([]);

  const logAfter = await readLog(cli);
  expect(logAfter.slice(0, logBefore.length), 'events already logged are untouched').toEqual(logBefore);
  expect(
    logAfter.slice(logBefore.length).map((event) => event.type),
    landed ? 'the whole batch of events landed' : 'no event landed',
  ).toEqual(landed ? scenario.events : []);

  await ok(cli, 'gc');
  const report = await cli('verify', '--json');
  expect(JSON.parse(report.stdout).problems).toEqual([]);
  expect(report.code).toBe(0);
  expect(tempLeftovers(home)).toEqual([]);
  await expectLinksMatchLedger(cli, home);

  const observed = await observe(cli, home);
  expect(observed).toEqual(landed ? expected.after : expected.before);
  if (observed.elements.includes('hello')) {
    expect(execFileSync(join(home, 'profiles', 'profile', 'bin', 'hello'), { encoding: 'utf8' })).toMatch(/^Hello/);
  }
}

describe.concurrent.each(crashScenarios.map((scenario) => [scenario.name, scenario] as const))('%s', (_name, scenario) => {
  let expected: Reference;
  const cleanups: Scratch[] = [];
  beforeAll(async () => {
    expected = await reference(scenario);
  });
  afterAll(() => {
    for (const scratch of cleanups.splice(0)) scratch.cleanup();
  });

  const crashes = Object.entries(scenario.crashAt).flatMap(([step, passes]) => (passes ?? []).map((n) => `${step}@${n}`));
  it.each(crashes)('killed at %s: all or nothing, and the next commands finish the job', async (fault) => {
    const run = await preparedHome(scenario);
    cleanups.push(run.scratch);
    const crashed = await spawnCli(run.home, scenario.command(run.scratch.dir), { fault });
    expect(crashed.signal, `expected a crash at ${fault}; exit ${crashed.status}: ${crashed.stderr}`).toBe('SIGKILL');
    const step = fault.slice(0, fault.indexOf('@')) as FaultStep;
    await expectConsistent(scenario, run, stepsAfterAppend.includes(step), expected);
    run.scratch.cleanup();
  });

  const unreached = faultSteps.filter((step) => !(step in scenario.crashAt));
  it.each(unreached)('never reaches %s: runs to completion with the fault set', async (step) => {
    const run = await preparedHome(scenario);
    cleanups.push(run.scratch);
    const finished = await spawnCli(run.home, scenario.command(run.scratch.dir), { fault: step });
    expect(finished.signal).toBeNull();
    expect(finished.status, finished.stderr).toBe(0);
    await expectConsistent(scenario, run, true, expected);
    run.scratch.cleanup();
  });
});

describe('a crash while finishing a crash', () => {
  it('leaves the home consistent when the catch-up projection itself is killed', async () => {
    const scenario = crashScenarios.find((s) => s.name === 'install of a catalog package');
    if (scenario === undefined) throw new Error('scenario missing');
    const expected = await reference(scenario);
    const run = await preparedHome(scenario);
    try {
      const first = await spawnCli(run.home, scenario.command(run.scratch.dir), { fault: 'after-append' });
      expect(first.signal).toBe('SIGKILL');
      // The next command projects the logged event first, and dies there, between a temp link and its rename.
      const second = await spawnCli(run.home, ['profile', 'list'], { fault: 'between-temp-link-and-rename@2' });
      expect(second.signal).toBe('SIGKILL');
      await expectConsistent(scenario, run, true, expected);
    } finally {
      run.scratch.cleanup();
    }
  });
});
