#!/usr/bin/env node
// `npm run bench`: genledger against real Nix 2.8, case by case, side by
// side (interleaved runs, paired ratios), plus genledger-only ledger
// figures. Prints a Markdown report and writes every sample, with the
// machine and date, to bench/results/latest.json. Everything it creates
// (scratch dir, paths it added to /nix/store) is removed at the end.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { bundleCases } from './cases/bundles.mjs';
import { fleetCases } from './cases/fleet.mjs';
import { gcCases } from './cases/gc.mjs';
import { generationCases } from './cases/generations.mjs';
import { ledgerCases } from './cases/ledger.mjs';
import { ledgerOpenCases } from './cases/ledger-open.mjs';
import { nixBackendCases } from './cases/nix-backend.mjs';
import { plainSide } from './cases/sides.mjs';
import { profileInstallCases } from './cases/profile-install.mjs';
import { replayFoldCases } from './cases/replay-fold.mjs';
import { startupCases } from './cases/startup.mjs';
import { storeAddCases } from './cases/store-add.mjs';
import { syncCostCases } from './cases/sync-cost.mjs';
import { createFixtures } from './fixtures/index.mjs';
import { cliPath, genledgerSpec, repoDir } from './lib/genledger.mjs';
import { runInterleaved } from './lib/interleave.mjs';
import { describeMachine } from './lib/machine.mjs';
import { run } from './lib/measure.mjs';
import { RealStore, nixVersion } from './lib/nix.mjs';
import { ensureNix } from './lib/nix-setup.mjs';
import { USAGE, parseOptions } from './lib/options.mjs';
import { createProgress } from './lib/progress.mjs';
import { compare, renderMarkdown, solo } from './lib/report.mjs';
import { createScratch, removeTree } from './lib/scratch.mjs';

// Comparison cases first (build-big before the cases that keep the big profile), then genledger-only figures.
const CASES = [...startupCases, ...storeAddCases, ...profileInstallCases, ...generationCases, ...gcCases, ...nixBackendCases, ...ledgerCases, ...ledgerOpenCases, ...replayFoldCases, ...bundleCases, ...syncCostCases, ...fleetCases];

async function main(argv) {
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    process.stderr.write(`bench: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (options.help) return print(`${USAGE}\n`);
  if (options.list) return print(CASES.map((c) => `${c.id.padEnd(20)} ${c.title}\n`).join(''));
  const unknown = (options.only ?? []).filter((id) => !CASES.some((c) => c.id === id));
  if (unknown.length > 0) {
    process.stderr.write(`bench: no case ${unknown.join(', ')}; --list shows the cases\n`);
    return 2;
  }
  if (!ensureNix(options.installNix)) return 2;
  if (!existsSync(join(repoDir, 'dist', 'index.js'))) {
    process.stderr.write('bench: dist/ is missing: run `npm run build` first (npm run bench does)\n');
    return 2;
  }
  const selected = CASES.filter((c) => options.only === null || options.only.includes(c.id));
  return runSuite(options, selected);
}

async function runSuite(options, selected) {
  const started = Date.now();
  let scratch;
  try {
    scratch = createScratch(options.scratch);
  } catch (error) {
    process.stderr.write(`bench: cannot make a scratch directory: ${error.message}\n`);
    return 2;
  }
  for (const dir of ['tmp', 'runs', 'nix/roots']) mkdirSync(join(scratch.dir, dir), { recursive: true });
  const env = { ...process.env, TMPDIR: join(scratch.dir, 'tmp'), NIX_REMOTE: 'local' };
  const realStore = new RealStore(env, join(scratch.dir, 'nix', 'roots'));
  const progress = createProgress(options.quiet);
  const stop = { signal: null };
  const onSignal = (signal) => {
    stop.signal = signal;
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  const checkInterrupted = async () => {
    await new Promise((done) => setImmediate(done));
    if (stop.signal !== null) throw new Error(`interrupted by ${stop.signal}`);
  };
  const results = { comparisons: [], figures: [], notes: [], failed: false, elapsedSeconds: {} };
  try {
    const machine = describeMachine({ nixVersion: nixVersion(), genledgerVersion: run(process.execPath, [cliPath, '--version']).trim(), scratch });
    if (!scratch.tmpfs) results.notes.push(`Note: no tmpfs used; fixtures are on ${scratch.fsType}, so disk writeback may add noise (interleaved runs and paired ratios absorb drift, not noise).`);
    const fixtures = createFixtures({ dir: scratch.dir, env, realStore, progress });
    for (const [index, caseDef] of selected.entries()) {
      const caseStarted = Date.now();
      const label = `[${index + 1}/${selected.length}] ${caseDef.id}`;
      const context = caseContext(caseDef, { scratch, env, options });
      const unavailable = caseDef.unavailable?.(context);
      if (unavailable) {
        results.notes.push(`Skipped ${caseDef.id}: ${unavailable}.`);
        continue;
      }
      try {
        await runCase(caseDef, { fixtures, context, options, progress, label, checkInterrupted, results });
      } catch (error) {
        if (stop.signal !== null) throw error;
        results.failed = true;
        results.notes.push(`Failed ${caseDef.id}: ${error.message.split('\n')[0]}`);
        progress.done();
        process.stderr.write(`bench: ${caseDef.id} failed: ${error.message}\n`);
      }
      results.elapsedSeconds[caseDef.id] = (Date.now() - caseStarted) / 1000;
    }
    progress.done();
    const comparisons = results.comparisons.map(({ caseDef, samples }) => compare(caseDef, samples));
    const report = { machine, runs: options.runs, comparisons, figures: results.figures, notes: results.notes };
    process.stdout.write(renderMarkdown(report));
    const out = resolve(options.out ?? join(repoDir, 'bench', 'results', 'latest.json'));
    mkdirSync(dirname(out), { recursive: true });
    const elapsedSeconds = { ...results.elapsedSeconds, total: (Date.now() - started) / 1000 };
    writeFileSync(out, `${JSON.stringify({ ...report, machine: { ...machine, loadAverageAtEnd: loadavg() }, elapsedSeconds }, null, 2)}\n`);
    if (!options.quiet) process.stderr.write(`bench: ${Math.round(elapsedSeconds.total)} s; samples written to ${out}\n`);
    return results.failed ? 1 : 0;
  } catch (error) {
    if (stop.signal === null) throw error;
    process.stderr.write(`bench: ${error.message}; cleaning up\n`);
    return 130;
  } finally {
    progress.update('cleaning up');
    removeTree(scratch.dir);
    realStore.cleanup();
    progress.done();
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

function caseContext(caseDef, { scratch, env, options }) {
  const nodeOptions = options.cpuProf === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${join(resolve(options.cpuProf), caseDef.id)}`];
  return {
    env,
    scratchDir: scratch.dir,
    runDir: (name) => {
      const dir = join(scratch.dir, 'runs', name);
      removeTree(dir);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    genledgerSpec: (home, args) => genledgerSpec(home, env, args, nodeOptions),
    nodeOptions,
  };
}

async function runCase(caseDef, { fixtures, context, options, progress, label, checkInterrupted, results }) {
  progress.update(`${label}: preparing`);
  if (caseDef.measure !== undefined) {
    const samples = await caseDef.measure(fixtures, context);
    results.figures.push(solo(caseDef, samples));
    return;
  }
  const own = await caseDef.sides(fixtures, context);
  // Every comparison also times Node's bare start-up in the same rounds: the floor under any genledger command.
  const sides = own.length === 2 ? [...own, plainSide({ file: process.execPath, args: ['-e', '0'], env: context.env })] : own;
  const samples = await runInterleaved({
    sides,
    runs: Math.min(caseDef.runs ?? options.runs, options.runs),
    warmups: caseDef.warmups ?? 1,
    onRound: (round, total) => progress.update(`${label}: ${round < 0 ? 'warm-up' : `run ${round + 1}/${total}`}`),
    checkInterrupted,
  });
  if (own.length === 1) results.figures.push(solo(caseDef, samples[0]));
  else results.comparisons.push({ caseDef, samples });
}

function print(text) {
  process.stdout.write(text);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
