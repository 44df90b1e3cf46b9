/**
 * Damaged LevelDB tables no longer abort the process. LevelDB compacts
 * while it opens a database and reads the tables it compacts without
 * checking their block checksums: a few flipped bytes reached an
 * assertion in table_builder.cc and the process died of SIGABRT. Now the
 * tables are checked before LevelDB opens the database.
 *
 * The recorded case: test/fixtures/abort-db is the db directory of a home
 * built as damaged-database.test.ts builds one (three profiles, fifteen
 * events); flipping 7 bytes of its largest table, 000029.ldb, with seed 22
 * (flipSeededBytes) made `genledger log` die of SIGABRT before the check
 * (found by fuzzing seeds 1-40 with 1 + seed % 8 flips: seed 22 was the
 * first to abort). Then a seeded fuzz of byte flips in the tables of a
 * fresh home: never a signal, exit 70 or hang.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { catalogPath, inProcessCli, ok, projectRoot, spawnCli } from './cli-runners.js';
import type { Spawned } from './cli-runners.js';
import { fileOfKind, flipSeededBytes } from './database-damage.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';
import { int, pick, seededRandom } from './seeded-random.js';

let scratch: Scratch;

beforeAll(() => {
  scratch = makeScratch('damaged-table');
});
afterAll(() => scratch.cleanup());

interface ErrorJson {
  readonly error: { code: string; message: string; hint?: string };
}

function expectCorrupt(run: Spawned, table: RegExp): void {
  expect(run.signal, run.stderr).toBeNull();
  expect(run.status, run.stderr).toBe(4);
  const { error } = JSON.parse(run.stderr) as ErrorJson;
  expect(error.code).toBe('GENLEDGER_DB_CORRUPT');
  expect(error.message).toMatch(table);
  expect(error.hint).toMatch(/genledger verify; genledger recover/);
}

it('the table flips that made LevelDB abort (seed 22, 7 bytes) are refused with GENLEDGER_DB_CORRUPT, and verify reports database-corrupt', async () => {
  const home = join(scratch.dir, 'abort');
  mkdirSync(home);
  cpSync(join(projectRoot, 'test', 'fixtures', 'abort-db'), join(home, 'db'), { recursive: true });
  expect(flipSeededBytes(join(home, 'db', '000029.ldb'), 22, 7)).toEqual([5833, 2112, 3420, 4178, 6986, 1006, 1715]);
  for (let run = 0; run < 2; run++) expectCorrupt(await spawnCli(home, ['--json', 'log'], { timeoutMs: 20_000 }), /000029\.ldb fails the check/);
  const verify = await spawnCli(home, ['--json', 'verify'], { timeoutMs: 20_000 });
  expect(verify.signal, verify.stderr).toBeNull();
  expect(verify.status, verify.stderr).toBe(4);
  expect((JSON.parse(verify.stdout) as { problems: Array<{ kind: string }> }).problems.map((problem) => problem.kind)).toEqual(['database-corrupt']);
  const recover = await spawnCli(home, ['--json', 'recover'], { timeoutMs: 20_000 });
  expect(recover.status, recover.stderr).toBe(0);
  expect((JSON.parse(recover.stdout) as { reason: string }).reason).toMatch(/000029\.ldb/);
}, 60_000);

it('the tables a command writes are remembered unread before it gives the lock up; damaged later, they are found again', async () => {
  const home = join(scratch.dir, 'written-here');
  const cli = inProcessCli(home);
  for (const profile of ['a', 'b', 'c']) await ok(cli, '-p', profile, 'profile', 'install', `${catalogPath}#hello`);
  const db = join(home, 'db');
  const live = readdirSync(db).filter((name) => name.endsWith('.ldb')).sort();
  const remembered = readFileSync(join(db, 'genledger-checked-tables'), 'utf8').split('\n').filter((line) => line !== '').map((line) => line.split(' ')[0]);
  // Each open turns the last command's log into a table: the newest was written by the last command and never read.
  expect(live.length).toBeGreaterThan(1);
  expect(remembered.sort()).toEqual(live);
  const newest = join(db, live.at(-1) as string);
  const bytes = readFileSync(newest);
  bytes[7] = (bytes[7] as number) ^ 0x40;
  writeFileSync(newest, bytes, { flag: 'r+' });
  expectCorrupt(await spawnCli(home, ['--json', 'log'], { timeoutMs: 20_000 }), new RegExp(`${basename(newest)} fails the check`));
}, 60_000);

it('a table damaged after it was found sound is found again; 1-8 seeded byte flips in a table never end in a signal, exit 70 or a hang (120 cases)', async () => {
  const home = join(scratch.dir, 'home');
  const pristine = join(scratch.dir, 'pristine');
  const cli = inProcessCli(home);
  for (const profile of ['a', 'b', 'c']) {
    for (const name of ['hello', 'greet', 'figlet-lite']) await ok(cli, '-p', profile, 'profile', 'install', `${catalogPath}#${name}`);
    await ok(cli, '-p', profile, 'profile', 'remove', 'hello');
  }
  execFileSync('cp', ['-a', home, pristine]);
  // Remembered sound, then damaged in place keeping its size and inode: checked again all the same.
  const checked = readFileSync(join(home, 'db', 'genledger-checked-tables'), 'utf8');
  const largest = fileOfKind(join(home, 'db'), 'table');
  expect(checked).toContain(`${basename(largest)} ${statSync(largest).size}`);
  const bytes = readFileSync(largest);
  bytes[7] = (bytes[7] as number) ^ 0x40;
  writeFileSync(largest, bytes, { flag: 'r+' });
  expectCorrupt(await spawnCli(home, ['--json', 'log'], { timeoutMs: 20_000 }), new RegExp(`${basename(largest)} fails the check`));
  const random = seededRandom(12);
  const outcomes = new Map<string, number>();
  for (let n = 0; n < 120; n++) {
    rmSync(home, { recursive: true, force: true });
    execFileSync('cp', ['-a', pristine, home]);
    const db = join(home, 'db');
    const table = pick(random, readdirSync(db).filter((name) => name.endsWith('.ldb')).sort());
    const seed = int(random, 2 ** 31);
    const count = 1 + int(random, 8);
    flipSeededBytes(join(db, table), seed, count);
    const what = `${table} seed ${seed} x${count}`;
    const run = await spawnCli(home, ['--json', 'log'], { timeoutMs: 20_000 });
    expect(run.signal, `${what}: ${run.stderr}`).toBeNull();
    expect([0, 4], `${what}: ${run.stderr}`).toContain(run.status);
    const outcome = run.status === 0 ? 'exit 0' : `exit 4 ${(JSON.parse(run.stderr) as ErrorJson).error.code}`;
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  console.log([...outcomes].sort().map(([outcome, n]) => `${n}\t${outcome}`).join('\n'));
}, 180_000);
