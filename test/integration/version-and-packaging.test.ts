/**
 * Putting genledger on PATH: the package `npm pack` makes holds the entry
 * point, the bundle and the man page; `genledger --version` names the
 * version and the store the home records without opening the database, so
 * it neither waits for a lock nor creates a home. (Needs dist/: npm test
 * builds it first.)
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogPath, projectRoot, spawnCli } from '../reliability/cli-runners.js';

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'genledger-version-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };

describe('the npm package', () => {
  it('holds bin/, the built dist/ and the man page', () => {
    // --ignore-scripts: pack what the build made instead of building again (prepare).
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: projectRoot, encoding: 'utf8' })) as Array<{ name: string; files: Array<{ path: string }> }>;
    const files = packed?.files.map((file) => file.path) ?? [];
    expect(packed?.name).toBe('genledger');
    expect(files).toEqual(expect.arrayContaining(['bin/genledger', 'bin/package.json', 'dist/cli.cjs', 'dist/index.js', 'dist/genledger.1', 'package.json', 'README.md']));
  });
});

describe('genledger --version', () => {
  it('on a home that does not exist: the version and the rule, and no home is created', async () => {
    const home = join(scratch, 'home');
    const result = await spawnCli(home, ['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`genledger ${version}\nstore: none recorded: there is no home at ${home} yet; a new one uses the embedded store unless given --store nix\n`);
    expect(existsSync(home)).toBe(false);
  });

  it('names the embedded store the home records, also while another process holds the database lock', async () => {
    const home = join(scratch, 'home');
    expect((await spawnCli(home, ['profile', 'install', `${catalogPath}#hello`])).status).toBe(0);
    const expected = `genledger ${version}\nstore: embedded, ${join(home, 'store')} (recorded by the home ${home})\n`;
    expect((await spawnCli(home, ['--version'])).stdout).toBe(expected);

    const holderScript = `
      import { openDatabase } from ${JSON.stringify(join(projectRoot, 'dist', 'index.js'))};
      const db = await openDatabase({ dir: ${JSON.stringify(join(home, 'db'))}, lockTimeoutMs: 1000,
        holder: { pid: process.pid, user: 'carol', command: 'genledger profile install big', since: '2026-01-01T00:00:00.000Z' },
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
      process.stdout.write('holding\\n');
      process.stdin.once('data', async () => { await db.close(); });`;
    const holder = spawn(process.execPath, ['--input-type=module', '-e', holderScript], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      const whileHeld = await spawnCli(home, ['--lock-timeout', '0.2', '--version'], { timeoutMs: 10_000 });
      expect(whileHeld.status).toBe(0);
      expect(whileHeld.stdout).toBe(expected);
      expect(whileHeld.stderr).toBe('');
    } finally {
      holder.stdin.end('\n');
      await new Promise((resolve) => holder.once('exit', resolve));
    }
  });

  it('on a home whose store record has no copy yet (written by an older genledger): the rule, not a guess', async () => {
    const home = join(scratch, 'home');
    expect((await spawnCli(home, ['profile', 'install', `${catalogPath}#hello`])).status).toBe(0);
    rmSync(join(home, 'store.json'));
    expect((await spawnCli(home, ['--version'])).stdout).toBe(`genledger ${version}\nstore: not known without opening the database (the next genledger command on this home notes it for --version)\n`);
    expect((await spawnCli(home, ['profile', 'list'])).status).toBe(0);
    expect((await spawnCli(home, ['--version'])).stdout).toContain(`store: embedded, ${join(home, 'store')}`);
  });
});
