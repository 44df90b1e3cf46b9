import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activationProgram, runActivation } from '../../src/app/system/system-activation.js';
import type { World } from '../../src/world.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'genledger-activation-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A configuration directory whose switch-to-configuration is `body`. */
function configuration(body: string, mode = 0o755): string {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const program = join(dir, 'bin', 'switch-to-configuration');
  writeFileSync(program, `#!/bin/sh\n${body}\n`);
  chmodSync(program, mode);
  return program;
}

/** A World whose clock reads 0 s, then 7 s, …: durations are what the clock says. */
function world(env: Record<string, string> = {}): World {
  let seconds = -7;
  return {
    now: () => new Date((seconds += 7) * 1000),
    actor: { user: 'alice', uid: 1000, host: 'testhost' },
    newId: () => 'id',
    pid: process.pid,
    argv: [],
    env: { PATH: process.env.PATH, ...env },
    cwd: dir,
    stdout: { write: () => undefined, isTTY: false },
    stderr: { write: () => undefined, isTTY: false },
    sleep: async () => undefined,
  };
}

const limits = { timeoutMs: 10_000, tailBytes: 64 };

describe('activation', () => {
  it('finds the script of a configuration, or none', () => {
    expect(activationProgram(dir)).toBeNull();
    const program = configuration('exit 0');
    expect(activationProgram(dir)).toBe(program);
  });

  it('runs the script with the action and the environment, and records success with the duration the clock gives', async () => {
    const program = configuration('echo "action=$1 greeting=$GREETING"');
    const echoed: string[] = [];
    const echo = { write: (text: string) => void echoed.push(text), isTTY: false };
    const w = world({ GREETING: 'hi' });
    const run = await runActivation(w, program, 'test', w.env, limits, echo);
    expect(run.outcome).toEqual({ status: 'succeeded', exitCode: 0, signal: null, timedOut: false, durationMs: 7000, outputTail: 'action=test greeting=hi\n', outputBytes: 24 });
    expect(run.finishedAt.getTime()).toBe(7000);
    expect(echoed.join('')).toBe('action=test greeting=hi\n');
  });

  it('records a non-zero exit as failed, keeping only the tail of the output', async () => {
    const program = configuration('i=0; while [ $i -lt 100 ]; do echo "line $i"; i=$((i+1)); done; echo "the end" >&2; exit 4');
    const { outcome } = await runActivation(world(), program, 'switch', process.env, limits, null);
    expect(outcome).toMatchObject({ status: 'failed', exitCode: 4, signal: null, timedOut: false });
    if (outcome.status === 'skipped') throw new Error('unexpected skip');
    expect(Buffer.byteLength(outcome.outputTail)).toBe(64);
    expect(outcome.outputTail.endsWith('line 99\nthe end\n')).toBe(true);
    expect(outcome.outputBytes).toBe(Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join('').length + 'the end\n'.length);
  });

  it('kills a script that runs past the time limit, with what it started', async () => {
    const program = configuration('echo started; sleep 30 & sleep 30');
    const before = Date.now();
    const { outcome } = await runActivation(world(), program, 'switch', process.env, { ...limits, timeoutMs: 300 }, null);
    expect(Date.now() - before).toBeLessThan(10_000);
    expect(outcome).toMatchObject({ status: 'failed', exitCode: null, signal: 'SIGKILL', timedOut: true, outputTail: 'started\n' });
  });

  it('records a script that cannot be started as failed, saying why', async () => {
    const program = configuration('exit 0', 0o644);
    const { outcome } = await runActivation(world(), program, 'boot', process.env, limits, null);
    expect(outcome).toMatchObject({ status: 'failed', exitCode: null, signal: null, timedOut: false });
    if (outcome.status === 'skipped') throw new Error('unexpected skip');
    expect(outcome.outputTail).toContain('EACCES');
  });
});
