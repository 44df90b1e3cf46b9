#!/usr/bin/env node
// Benchmark of the ledger on classic-level (genledger only: Nix has no
// equivalent). Appends 100,000 events in batches of 1,000, a further sample
// appended one by one (each awaited: an fsync'd LevelDB write per event),
// reads everything back with hash checks, verifies both chains, and times
// opening the database and reading a head. Prints a Markdown table.
//
// Usage: npm run build && node bench/ledger.mjs [events] [one-by-one sample]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLevelLedger, openDatabase, verifyLedger } from '../dist/index.js';

const total = Number(process.argv[2] ?? 100_000);
const sample = Number(process.argv[3] ?? 2_000);
const dir = mkdtempSync(join(tmpdir(), 'genledger-bench-ledger-'));
const holder = { pid: process.pid, user: 'bench', command: 'bench/ledger.mjs', since: new Date().toISOString() };
const open = () => openDatabase({ dir: join(dir, 'db'), lockTimeoutMs: 1000, holder, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
const actor = { user: 'bench', uid: 1000, host: 'bench' };
let ids = 0;
const event = () => ({
  id: `e${++ids}`,
  type: 'PackagesInstalled',
  v: 2,
  at: new Date(Date.UTC(2026, 0, 1) + ids * 1000).toISOString(),
  actor,
  command: ['genledger', 'profile', 'install', `pkg${ids % 500}`],
  data: { installed: [{ name: `pkg${ids % 500}`, storePaths: [`/nix/store/${'a'.repeat(32)}-pkg${ids % 500}`], priority: 5, installable: `pkg${ids % 500}` }] },
});

const time = async (run) => {
  const start = process.hrtime.bigint();
  const result = await run();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
};

const rows = [];
let database = await open();
let ledger = createLevelLedger(database.db);
const streams = 100;
const versions = new Array(streams).fill(0);
const batched = await time(async () => {
  for (let done = 0; done < total; done += 1000) {
    const stream = `per-user/u${(done / 1000) % streams}/profile`;
    const index = (done / 1000) % streams;
    await ledger.append(stream, versions[index], Array.from({ length: 1000 }, event));
    versions[index] += 1000;
  }
});
rows.push([`append ${total.toLocaleString('en')} events, 1,000 per append`, batched.ms, total]);
const single = await time(async () => {
  for (let i = 0; i < sample; i++) await ledger.append('single', i, [event()]);
});
rows.push([`append ${sample.toLocaleString('en')} events one by one (awaited, fsync'd)`, single.ms, sample]);
const read = await time(async () => {
  let n = 0;
  for await (const _ of ledger.readLog()) n++;
  return n;
});
rows.push([`read the whole log (${read.result.toLocaleString('en')} events, hashes checked)`, read.ms, read.result]);
const verified = await time(() => verifyLedger(database.db));
rows.push([`verify both chains (${verified.result.eventsChecked.toLocaleString('en')} events)`, verified.ms, verified.result.eventsChecked]);
await database.close();
const reopened = await time(async () => {
  database = await open();
  ledger = createLevelLedger(database.db);
  return ledger.head('single');
});
rows.push(['open the database and read a head', reopened.ms, 1]);
await database.close();
rmSync(dir, { recursive: true, force: true });

console.log('| operation | total | per event |');
console.log('| --- | --- | --- |');
for (const [name, ms, count] of rows) console.log(`| ${name} | ${(ms / 1000).toFixed(2)} s | ${((ms * 1000) / count).toFixed(1)} µs |`);
