/**
 * Which commands may create a home, and who may read one (issue 16): a
 * read command on a path that holds no home says so and creates nothing;
 * a first command that fails before its first event leaves no home behind
 * (so its hint can be followed); and a home this user may read but not
 * write is read from a consistent copy of its database, changing nothing,
 * while a command that would change it is refused up front.
 *
 * The read-only cases run the built CLI as the non-root 'genledger-test'
 * user (root may write anything); they are skipped, with the reason, when
 * the suite does not run as root.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testUser } from '../nix/nix-fixtures.js';
import { catalogPath, spawnCli } from './cli-runners.js';
import type { Spawned } from './cli-runners.js';
import { snapshotTree } from './home-inspection.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

let scratch: Scratch;
let home: string;

beforeEach(() => {
  scratch = makeScratch('home-access');
  home = join(scratch.dir, 'home');
});
afterEach(() => scratch.cleanup());

const errorCode = (run: Spawned) => (JSON.parse(run.stderr) as { error: { code: string } }).error.code;

const readCommands = [
  ['profile', 'list'],
  ['profile', 'list-generations'],
  ['profile', 'history'],
  ['profiles'],
  ['log'],
  ['blame', 'hello'],
  ['verify'],
  ['system', 'status'],
  ['store', 'verify'],
  ['root', 'list'],
  ['gc', '--print-roots'],
  ['report', '--json'],
];

describe('a read command where no home is', () => {
  it('exits 1 with GENLEDGER_NO_HOME and creates nothing: no directory, no database, no lock', async () => {
    for (const argv of readCommands) {
      const run = await spawnCli(home, ['--json', ...argv]);
      expect(run.status, `${argv.join(' ')}: ${run.stderr}`).toBe(1);
      expect(errorCode(run)).toBe('GENLEDGER_NO_HOME');
      expect(JSON.parse(run.stderr).error.message).toBe(`no genledger home at ${home}`);
      expect(existsSync(home), argv.join(' ')).toBe(false);
    }
  });

  it('refuses a directory that holds no home, and leaves what is in it alone', async () => {
    mkdirSync(home);
    writeFileSync(join(home, 'notes.txt'), 'mine\n');
    const run = await spawnCli(home, ['log']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^genledger: no genledger home at .*\nhint: a command that changes something creates it/);
    expect(readdirSync(home)).toEqual(['notes.txt']);
  });

  it('leaves --version, help and completion as they were', async () => {
    for (const argv of [['--version'], ['help'], ['completion', 'bash']]) {
      const run = await spawnCli(home, argv);
      expect(run.status, `${argv.join(' ')}: ${run.stderr}`).toBe(0);
    }
    expect(existsSync(home)).toBe(false);
  });
});

describe('a first command that fails before its first event', () => {
  const failures: Array<{ what: string; argv: string[] }> = [
    { what: 'an installable that is no store path', argv: ['profile', 'install', '/nonexistent/thing'] },
    { what: 'a package the catalog lacks', argv: ['profile', 'install', `${catalogPath}#no-such-package`] },
    { what: 'a --store genledger cannot use', argv: ['--store', 'bogus', 'profile', 'install', `${catalogPath}#hello`] },
    { what: 'a relative --store-dir', argv: ['--store-dir', 'relative/store', 'profile', 'install', `${catalogPath}#hello`] },
    { what: 'a generation that does not exist', argv: ['profile', 'switch-generation', '7'] },
  ];

  for (const { what, argv } of failures) {
    it(`leaves no home behind (${what}), so the command can be run again as the hint says`, async () => {
      const run = await spawnCli(home, argv);
      expect(run.status, run.stderr).not.toBe(0);
      expect(existsSync(home), 'the home it created is gone').toBe(false);
    });
  }

  it('after a wrong --store, the first command with the right one succeeds (no GENLEDGER_STORE_MISMATCH)', async () => {
    expect((await spawnCli(home, ['--store', 'nix:', 'profile', 'install', '/nonexistent/thing'])).status).not.toBe(0);
    const again = await spawnCli(home, ['profile', 'install', `${catalogPath}#hello`]);
    expect(again.status, again.stderr).toBe(0);
  });

  it('removes only what it added to a directory that existed (the directory and the file in it stay)', async () => {
    mkdirSync(home);
    writeFileSync(join(home, 'notes.txt'), 'mine\n');
    const run = await spawnCli(home, ['profile', 'install', '/nonexistent/thing']);
    expect(run.status).toBe(1);
    expect(readdirSync(home)).toEqual(['notes.txt']);
  });

  it('never removes a home that has events: a failed command on it changes nothing', async () => {
    expect((await spawnCli(home, ['profile', 'install', `${catalogPath}#hello`])).status).toBe(0);
    const before = snapshotTree(home, (path) => path === 'db' || path.startsWith('db/'));
    expect((await spawnCli(home, ['profile', 'install', '/nonexistent/thing'])).status).toBe(1);
    expect(snapshotTree(home, (path) => path === 'db' || path.startsWith('db/'))).toEqual(before);
    const log = await spawnCli(home, ['log', '--json']);
    expect(JSON.parse(log.stdout)).toHaveLength(2);
  });
});

const user = process.getuid?.() === 0 ? testUser() : null;
const skipReason = process.getuid?.() !== 0 ? 'needs root to run genledger as the genledger-test user' : user === null ? "the genledger-test user is absent and cannot be created" : null;
if (skipReason !== null) console.warn(`home-access: skipping the read-only home tests: ${skipReason}`);

describe.skipIf(skipReason !== null)('a home this user may read but not write', () => {
  const asAuditor = (args: string[]) => spawnCli(home, args, { uid: user?.uid ?? 0, gid: user?.gid ?? 0 });

  beforeEach(async () => {
    chmodSync(scratch.dir, 0o755);
    for (const argv of [['profile', 'install', `${catalogPath}#hello`], ['profile', 'install', `${catalogPath}#greet`], ['profile', 'remove', 'greet']]) {
      const run = await spawnCli(home, argv);
      expect(run.status, run.stderr).toBe(0);
    }
  });

  const grantRead = () => grantReadToAll(home);

  it('answers every read command as root does, and changes nothing in the home (not even LevelDB files)', async () => {
    grantRead();
    const answers = [];
    for (const argv of readCommands) answers.push(await spawnCli(home, ['--json', ...argv]));
    const before = snapshotTree(home);
    for (const [index, argv] of readCommands.entries()) {
      const auditor = await asAuditor(['--json', ...argv]);
      expect(auditor.status, `${argv.join(' ')}: ${auditor.stderr}`).toBe(0);
      expect(auditor.status).toBe(answers[index]?.status);
      // report --json names the time it was made.
      if (argv[0] !== 'report') expect(auditor.stdout, argv.join(' ')).toBe(answers[index]?.stdout);
    }
    expect(snapshotTree(home)).toEqual(before);
  });

  it('can export its profiles elsewhere', async () => {
    grantRead();
    const to = join(scratch.dir, 'bundle');
    mkdirSync(to, { mode: 0o777 });
    chmodSync(to, 0o777);
    const run = await asAuditor(['export', '--to', join(to, 'out')]);
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(join(to, 'out'))).toBe(true);
  });

  it('refuses every mutating command up front (exit 1, GENLEDGER_HOME_READ_ONLY), changing nothing', async () => {
    grantRead();
    const before = snapshotTree(home);
    for (const argv of [['profile', 'install', `${catalogPath}#figlet-lite`], ['profile', 'rollback'], ['gc'], ['store', 'add', catalogPath], ['profile', 'install', '--dry-run', `${catalogPath}#greet`]]) {
      const run = await asAuditor(['--json', ...argv]);
      expect(run.status, `${argv.join(' ')}: ${run.stderr}`).toBe(1);
      expect(errorCode(run)).toBe('GENLEDGER_HOME_READ_ONLY');
    }
    expect(snapshotTree(home)).toEqual(before);
  });

  it('says which file it cannot read when the home was not opened to the reader (its files are created 0600)', async () => {
    chmodSync(home, 0o755);
    const run = await asAuditor(['--json', 'log']);
    expect(run.status).toBe(1);
    expect(errorCode(run)).toBe('GENLEDGER_DB_PERMISSION');
    expect(JSON.parse(run.stderr).error.message).toMatch(/^cannot read .*home\.json: permission denied$/);
  });
});

/** `chmod -R a+rX HOME`: what an owner does to let others read the home. */
function grantReadToAll(dir: string): void {
  const walk = (path: string) => {
    chmodSync(path, 0o755);
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) chmodSync(full, 0o644);
    }
  };
  walk(dir);
}
