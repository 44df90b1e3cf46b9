/**
 * Long work shows one progress line on a terminal's stderr, rewritten in
 * place and cleared at the end; nothing at all when stderr is not a
 * terminal or with --quiet, so scripts see only results.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { terminalProgress } from '../../src/app/session/progress.js';
import { runCli } from '../../src/cli/run-cli.js';
import type { World } from '../../src/world.js';

let dir: string;
let clock = Date.parse('2026-01-01T00:00:00Z');
let ids = 0;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'genledger-progress-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(stderrIsTTY: boolean, ...argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const world: World = {
    now: () => new Date((clock += 60_000)),
    actor: { user: 'alice', uid: 1000, host: 'testhost' },
    newId: () => `id-${++ids}`,
    pid: process.pid,
    argv,
    env: { GENLEDGER_HOME: join(dir, 'home') },
    cwd: process.cwd(),
    stdout: { write: () => undefined, isTTY: stderrIsTTY },
    stderr: { write: (text) => void (stderr += text), isTTY: stderrIsTTY },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  return { code: await runCli(argv, world), stderr };
}

describe('progress on a terminal', () => {
  it('replay shows a line per step in place and clears it; gc and store verify --contents too', async () => {
    await run(false, 'profile', 'install', 'examples/catalog.json#hello');
    await run(false, '-p', 'other', 'profile', 'install', 'examples/catalog.json#greet');
    const replay = await run(true, 'replay');
    expect(replay.code).toBe(0);
    expect(replay.stderr.startsWith('\r\x1b[Kgenledger: replaying profiles 0/2')).toBe(true);
    const summary = replay.stderr.search(/genledger: \S+ at generation/);
    expect(replay.stderr.slice(0, summary).endsWith('\r\x1b[K'), 'the line is cleared before the results').toBe(true);
    const verify = await run(true, 'store', 'verify', '--contents');
    expect(verify.stderr).toContain('genledger: hashing store paths 0/');
    await run(false, '-p', 'other', 'profile', 'remove', 'greet');
    await run(false, '-p', 'other', 'profile', 'wipe-history');
    const gc = await run(true, 'gc');
    expect(gc.stderr).toMatch(/genledger: (forgetting|deleting) dead store paths \d+\/\d+/);
  });

  it('is silent when stderr is not a terminal, and with --quiet', async () => {
    await run(false, 'profile', 'install', 'examples/catalog.json#hello');
    expect((await run(false, 'replay')).stderr).not.toContain('\r');
    expect((await run(true, '--quiet', 'replay')).stderr).not.toContain('\r');
  });
});

describe('terminalProgress', () => {
  it('rewrites its line at most every 100 ms, always shows the last step, and clears only what it drew', () => {
    let written = '';
    let now = 0;
    const progress = terminalProgress({ stderr: { write: (text) => void (written += text), isTTY: true }, now: () => new Date(now) }, false);
    progress.clear();
    expect(written).toBe('');
    progress.step('copying', 0, 3);
    now += 50;
    progress.step('copying', 1, 3);
    now += 10;
    progress.step('copying', 3, 3);
    progress.clear();
    expect(written).toBe('\r\x1b[Kgenledger: copying 0/3\r\x1b[Kgenledger: copying 3/3\r\x1b[K');
  });
});
