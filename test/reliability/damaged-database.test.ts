/**
 * The damaged-database matrix: each of LevelDB's file kinds (CURRENT, the
 * manifest, a table, the log, LOG, LOCK) damaged each way database-damage.ts
 * knows (cut short, bytes flipped, garbage, a directory, a FIFO, a link to
 * /dev/zero, removed), then a command run as its own process, with a
 * timeout, and `verify`. Every outcome is documented: exit 0 (damage
 * LevelDB tolerates), exit 4 with GENLEDGER_DB_CORRUPT, _DB_MISSING or
 * _LEDGER_TRUNCATED (or the ledger's own integrity code, when genledger's
 * hash chain, not LevelDB, finds the damage) and a hint naming verify, or
 * exit 3 for a lock; never a signal, exit 70, LevelDB's text or a hang, and
 * verify reports the damage (exit 4, JSON on stdout) instead of failing.
 *
 * The full matrix is 66 damages x 6 commands; each damage runs `verify`
 * and one other command, taken in turn, to keep the file under a minute.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { catalogPath, inProcessCli, ok, spawnCli } from './cli-runners.js';
import type { Spawned } from './cli-runners.js';
import { damages, fileKinds, fileOfKind } from './database-damage.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

let scratch: Scratch;
let home: string;
let pristine: string;

/** Three profiles, 15 events; LevelDB has turned earlier commands' logs into tables. */
beforeAll(async () => {
  scratch = makeScratch('damaged-db');
  home = join(scratch.dir, 'home');
  pristine = join(scratch.dir, 'pristine');
  const cli = inProcessCli(home);
  for (const profile of ['a', 'b', 'c']) {
    for (const name of ['hello', 'greet', 'figlet-lite']) await ok(cli, '-p', profile, 'profile', 'install', `${catalogPath}#${name}`);
    await ok(cli, '-p', profile, 'profile', 'remove', 'hello');
  }
  for (const kind of fileKinds) fileOfKind(join(home, 'db'), kind);
  execFileSync('cp', ['-a', home, pristine]);
}, 60_000);
afterAll(() => scratch.cleanup());

/** Puts the home back as it was before the last case damaged it (in place: its marker names this path). */
function restoreHome(): void {
  rmSync(home, { recursive: true, force: true });
  execFileSync('cp', ['-a', pristine, home]);
}

const commands: readonly (readonly string[])[] = [
  ['-p', 'a', 'profile', 'list'],
  ['-p', 'a', 'profile', 'install', `${catalogPath}#hello`],
  ['log'],
  ['replay'],
  ['gc', '--dry-run'],
];

const damageCodes = ['GENLEDGER_DB_CORRUPT', 'GENLEDGER_DB_MISSING', 'GENLEDGER_LEDGER_TRUNCATED'];
const leaked = /internal error|Corruption|IO error|LEVEL_|\n\s+at /;

interface ErrorJson {
  readonly error: { code: string; message: string; hint?: string };
}
interface VerifyJson {
  readonly problems: ReadonlyArray<{ kind: string }>;
}

/** What a run came to, as the summary counts it: "exit 4 GENLEDGER_DB_CORRUPT", "exit 0". */
function expectDocumented(run: Spawned, what: string): string {
  expect(run.signal, `${what}: ${run.stderr}`).toBeNull();
  expect([0, 3, 4], `${what}: ${run.stderr}`).toContain(run.status);
  expect(run.stderr, what).not.toMatch(leaked);
  if (run.status === 0) return 'exit 0';
  const { error } = JSON.parse(run.stderr) as ErrorJson;
  if (run.status === 3) return `exit 3 ${error.code}`;
  expect(error.hint ?? '', `${what}: ${error.code}`).toMatch(/genledger verify/);
  if (damageCodes.includes(error.code)) expect(error.hint, what).toMatch(/genledger recover/);
  return `exit 4 ${error.code}`;
}

function expectVerifyReports(run: Spawned, what: string): string {
  expect(run.signal, `${what}: ${run.stderr}`).toBeNull();
  expect([0, 4], `${what}: ${run.stderr}`).toContain(run.status);
  expect(run.stderr, what).not.toMatch(leaked);
  const report = JSON.parse(run.stdout) as VerifyJson;
  expect(report.problems.length > 0, what).toBe(run.status === 4);
  return run.status === 0 ? 'verify clean' : `verify ${[...new Set(report.problems.map((problem) => problem.kind))].sort().join(',')}`;
}

it('every damage to every LevelDB file kind ends in a documented outcome, and verify reports it', async () => {
  const outcomes = new Map<string, number>();
  const count = (outcome: string) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  let turn = 0;
  for (const kind of fileKinds) {
    for (const [name, damage] of Object.entries(damages)) {
      restoreHome();
      damage(fileOfKind(join(home, 'db'), kind));
      const argv = commands[turn++ % commands.length] as readonly string[];
      const what = `${kind} ${name}: genledger ${argv.join(' ')}`;
      count(expectDocumented(await spawnCli(home, ['--json', '--lock-timeout', '2', ...argv], { timeoutMs: 60_000 }), what));
      count(expectVerifyReports(await spawnCli(home, ['--json', 'verify'], { timeoutMs: 60_000 }), `${kind} ${name}: verify`));
    }
  }
  console.log([...outcomes].sort().map(([outcome, n]) => `${n}\t${outcome}`).join('\n'));
  expect([...outcomes.values()].reduce((a, b) => a + b)).toBe(fileKinds.length * Object.keys(damages).length * 2);
}, 400_000);
