/**
 * Nothing appended is ever lost, however the database is lost or damaged:
 * a home with a ledger on disk whose database is gone is refused (never
 * silently recreated empty, which let gc delete every store path); a
 * database log that lost committed events (a truncated or damaged LevelDB
 * `.log`) is refused against the ledger head file, and replay never
 * rewinds the disk to it; verify names each state with exit 4.
 *
 * The home of every case: greet installed (generation 1), then hello
 * (generation 2); the log has seq 1 ProfileCreated, 2 and 3 PackagesInstalled.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogPath, inProcessCli, ok } from './cli-runners.js';
import type { InProcessCli } from './cli-runners.js';
import { snapshotTree } from './home-inspection.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

interface VerifyJson {
  readonly problems: ReadonlyArray<{ kind: string; message: string }>;
}

let scratch: Scratch;
let home: string;
let cli: InProcessCli;

beforeEach(async () => {
  scratch = makeScratch('lost-db');
  home = join(scratch.dir, 'home');
  cli = inProcessCli(home);
  await ok(cli, 'profile', 'install', `${catalogPath}#greet`);
  await ok(cli, 'profile', 'install', `${catalogPath}#hello`);
});
afterEach(() => scratch.cleanup());

function expectOneError(result: { code: number; stderr: string }, code: number, fact: RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  const [first, ...rest] = result.stderr.trimEnd().split('\n');
  expect(first).toMatch(fact);
  expect(rest).toEqual(['hint: run genledger verify; genledger recover rebuilds what it can']);
  expect(result.stderr).not.toMatch(/internal error|Corruption|IO error|LEVEL_|\n\s+at /);
}

async function verifyKinds(): Promise<string[]> {
  const result = await cli('verify', '--json');
  expect(result.code).toBe(4);
  return (JSON.parse(result.stdout) as VerifyJson).problems.map((problem) => problem.kind);
}

/** The newest LevelDB log file, which holds the last command's writes (an open turns older logs into tables). */
function newestLog(): string {
  const logs = readdirSync(join(home, 'db')).filter((name) => name.endsWith('.log')).sort();
  const last = logs[logs.length - 1];
  if (last === undefined) throw new Error('no .log file');
  return join(home, 'db', last);
}

/** Where the last append's batch starts in the newest log: before the first ledger key in it. */
function appendOffset(log: string): number {
  const offset = readFileSync(log).indexOf('!ledger!');
  expect(offset, 'the newest log holds the last append').toBeGreaterThan(0);
  return offset;
}

const everyCommand = [['profile', 'list'], ['profile', 'rollback'], ['profile', 'install', `${catalogPath}#figlet-lite`], ['log'], ['gc'], ['replay']];

describe('a lost database', () => {
  it.each([
    ['the db directory removed', () => rmSync(join(home, 'db'), { recursive: true })],
    ['db/CURRENT removed', () => rmSync(join(home, 'db', 'CURRENT'))],
  ])('%s: every command refuses with exit 4 GENLEDGER_DB_MISSING, gc deletes nothing, verify names it', async (_name, lose) => {
    const store = snapshotTree(join(home, 'store'));
    const tables = () => (existsSync(join(home, 'db')) ? readdirSync(join(home, 'db')).filter((name) => name.endsWith('.ldb') || name.endsWith('.log')) : []);
    lose();
    const leftTables = tables();
    for (const argv of everyCommand) expectOneError(await cli(...argv), 4, /^genledger: the database .* is missing, but this home has a ledger$/);
    const json = await cli('--json', 'profile', 'list');
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'GENLEDGER_DB_MISSING' } });
    expect(snapshotTree(join(home, 'store')), 'gc deleted nothing').toEqual(store);
    expect(tables(), 'LevelDB did not start over and delete the old tables').toEqual(leftTables);
    expect(existsSync(join(home, 'db', 'CURRENT'))).toBe(false);
    expect(await verifyKinds()).toEqual(['database-missing']);
  });

  it('a damaged CURRENT is GENLEDGER_DB_CORRUPT (exit 4), never an I/O error or LevelDB text', async () => {
    writeFileSync(join(home, 'db', 'CURRENT'), 'MANIFEST-999999\n');
    expectOneError(await cli('profile', 'list'), 4, /^genledger: the database .* is damaged: LevelDB cannot open it$/);
    expect(await verifyKinds()).toEqual(['database-corrupt']);
  });
});

describe('a database log that lost committed events', () => {
  it.each([
    ['truncated before the last append', (log: string) => truncateSync(log, appendOffset(log) - 8)],
    [
      'with a byte flipped in the last append',
      (log: string) => {
        const bytes = readFileSync(log);
        const at = appendOffset(log) + 40;
        bytes[at] = (bytes[at] as number) ^ 0xff;
        writeFileSync(log, bytes);
      },
    ],
  ])('%s: refused with exit 4 GENLEDGER_LEDGER_TRUNCATED, replay does not rewind the disk, verify names it', async (_name, damage) => {
    const link = readlinkSync(join(home, 'profiles', 'profile'));
    damage(newestLog());
    for (const argv of everyCommand) expectOneError(await cli(...argv), 4, /^genledger: the ledger had 3 events \(head file\), the database holds 2: 1 committed event is missing$/);
    const json = await cli('--json', 'replay');
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'GENLEDGER_LEDGER_TRUNCATED' } });
    expect(readlinkSync(join(home, 'profiles', 'profile')), 'the disk still shows generation 2').toBe(link);
    expect(existsSync(join(home, 'profiles', 'profile-2-link'))).toBe(true);
    expect((await verifyKinds())[0]).toBe('ledger-truncated');
  });
});

describe('the head file and the marker', () => {
  it('are written when the home is created, and again (trust on first use) when an older home has none', async () => {
    const head = JSON.parse(readFileSync(join(home, 'ledger-head.json'), 'utf8')) as { seq: number; hash: string };
    expect(head.seq).toBe(3);
    expect(head.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(readFileSync(join(home, 'home.json'), 'utf8'))).toMatchObject({ root: home, id: expect.any(String), createdAt: expect.any(String) });
    rmSync(join(home, 'ledger-head.json'));
    rmSync(join(home, 'home.json'));
    await ok(cli, 'profile', 'list');
    expect(JSON.parse(readFileSync(join(home, 'ledger-head.json'), 'utf8'))).toEqual(head);
    expect(statSync(join(home, 'home.json')).isFile()).toBe(true);
    expect((await cli('verify')).code).toBe(0);
  });
});
