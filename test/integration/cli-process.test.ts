/**
 * The built CLI as a separate process: exit statuses, the lock wait between
 * two processes, a closed stdout pipe. (`npm test` builds dist/ first.)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const cli = join(process.cwd(), 'bin', 'genledger');
let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'genledger-proc-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(process.execPath, [cli, '--home', home, ...args], { encoding: 'utf8' });

describe('the genledger process', () => {
  it('prints its version and help with exit 0, and usage errors with exit 2', () => {
    expect(run('--version').stdout).toMatch(/^genledger \d+\.\d+\.\d+\nstore: /);
    const help = run('--help');
    expect(help.status).toBe(0);
    for (const command of ['store', 'profile', 'gc', 'log', 'verify', 'replay', 'key']) expect(help.stdout).toContain(command);
    const usage = run('profile', 'frobnicate');
    expect(usage.status).toBe(2);
    expect(usage.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('installs from the example catalog and refuses a collision with exit 1 and no stack trace', () => {
    expect(run('profile', 'install', 'examples/catalog.json#hello').status).toBe(0);
    const collision = run('profile', 'install', 'examples/catalog-next.json#hello');
    expect(collision.status).toBe(1);
    expect(collision.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^genledger: packages '/), expect.stringMatching(/^hint: /)]);
  });

  it('waits for another process holding the database and gives up with exit 3 naming it', async () => {
    // A gc creates the home (and its database), empty: a read command no longer does.
    expect(run('gc').status).toBe(0);
    const holderScript = `
      import { openDatabase } from ${JSON.stringify(join(process.cwd(), 'dist', 'index.js'))};
      const db = await openDatabase({ dir: ${JSON.stringify(join(home, 'db'))}, lockTimeoutMs: 1000,
        holder: { pid: process.pid, user: 'carol', command: 'genledger profile install big', since: '2026-01-01T00:00:00.000Z' },
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
      process.stdout.write('holding\\n');
      setTimeout(async () => { await db.close(); }, 1500);`;
    const holder = spawn(process.execPath, ['--input-type=module', '-e', holderScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const timedOut = run('--lock-timeout', '0.2', 'profile', 'list');
    expect(timedOut.status).toBe(3);
    expect(timedOut.stderr).toContain(`pid ${holder.pid}`);
    expect(timedOut.stderr).toContain('carol');
    expect(timedOut.stderr).toContain('genledger profile install big');
    const waited = run('--lock-timeout', '10', 'profile', 'list');
    expect(waited.status).toBe(0);
    expect(waited.stderr).toContain('waiting for the database lock');
    await new Promise((resolve) => holder.once('exit', resolve));
  });

  it('ends quietly with exit 0 when stdout is closed early', () => {
    for (let i = 0; i < 3; i++) run('profile', 'install', `examples/catalog.json#${['hello', 'greet', 'figlet-lite'][i]}`);
    const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" --home "${home}" log | head -n 1`], { encoding: 'utf8' });
    expect(piped.status).toBe(0);
    expect(piped.stderr).toBe('');
  });
});
