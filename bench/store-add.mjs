#!/usr/bin/env node
// Benchmark: `genledger store add` against `nix-store --add` on the same fresh
// 2,000-file tree, side by side in interleaved runs (A B A B ...), each run on
// an empty store so neither finds the path already added. Prints the median
// and min-max of each and the paired ratio genledger/Nix.
//
// Usage: node bench/store-add.mjs [runs]   (default 7 runs after one warm-up)
// Needs `npm run build` and nix-store on PATH (apt-get install nix-bin).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 7);
const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'genledger');
if (spawnSync('nix-store', ['--version']).status !== 0) {
  console.error('bench: nix-store not found; install Nix (apt-get install nix-bin) to compare');
  process.exit(2);
}

const base = pickScratch();
const tree = join(base, 'tree');
for (let d = 0; d < 40; d++) {
  mkdirSync(join(tree, `dir${d}`), { recursive: true });
  for (let f = 0; f < 50; f++) {
    const file = join(tree, `dir${d}`, `file${f}`);
    writeFileSync(file, `${d}:${f}\n`.repeat(8));
    if (f % 10 === 0) chmodSync(file, 0o755);
  }
}

function timed(command, args, env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, out: result.stdout.trim() };
}

const ours = [];
const theirs = [];
const ratios = [];
for (let i = 0; i <= runs; i++) {
  const a = timed(process.execPath, [cli, '--home', join(base, `home${i}`), '--store-dir', '/nix/store', '--store-root', join(base, `ours${i}`), 'store', 'add', tree]);
  const b = timed('nix-store', ['--store', join(base, `nix${i}`), '--add', tree], { NIX_REMOTE: '' });
  if (a.out !== b.out) throw new Error(`paths differ: ${a.out} vs ${b.out}`);
  if (i === 0) continue;
  ours.push(a.ms);
  theirs.push(b.ms);
  ratios.push(a.ms / b.ms);
}
const stat = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
const fmt = ({ median, min, max }, unit = ' ms', digits = 0) => `${median.toFixed(digits)}${unit} (${min.toFixed(digits)}-${max.toFixed(digits)})`;
console.log(`| case | genledger | Nix | ratio |`);
console.log(`| --- | --- | --- | --- |`);
console.log(`| store add, 2,000-file tree (${runs} runs, ${base.startsWith('/dev/shm') ? 'tmpfs' : 'disk'}) | ${fmt(stat(ours))} | ${fmt(stat(theirs))} | ${fmt(stat(ratios), '', 2)} |`);
execFileSync('chmod', ['-R', 'u+w', base]);
rmSync(base, { recursive: true, force: true });

function pickScratch() {
  for (const dir of ['/dev/shm', tmpdir()]) {
    try {
      return mkdtempSync(join(dir, 'genledger-bench-'));
    } catch {
      continue;
    }
  }
  throw new Error('no scratch directory');
}
