/**
 * The audit trail records who ran a command as the kernel knows it. An
 * ordinary user who makes a user namespace (`unshare -r -u`) looks like
 * root on a host of their choosing from inside; genledger records the uid
 * outside the namespace, marks the actor `userNamespace`, and keeps the
 * per-user owner rule. SUDO_USER from the environment is not believed
 * without sudo. The namespace case needs root (to become `nobody` first
 * with setpriv) and unprivileged user namespaces; it is skipped, with the
 * reason, where either is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogPath, cliPath, spawnCli } from './cli-runners.js';
import type { LoggedEvent } from './home-inspection.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

const NOBODY = '65534';
let scratch: Scratch;

beforeAll(() => {
  scratch = makeScratch('actor');
  chmodSync(scratch.dir, 0o777);
});
afterAll(() => scratch.cleanup());

/** Runs `sh -c SCRIPT` as nobody inside a new user and UTS namespace, or says why it cannot. */
function asNobodyInNamespace(script: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('setpriv', ['--reuid', NOBODY, '--regid', NOBODY, '--clear-groups', 'unshare', '-r', '-u', 'sh', '-c', script], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function namespaceSkipReason(): string | null {
  if (process.getuid?.() !== 0) return 'needs root to become nobody with setpriv';
  const probe = asNobodyInNamespace(`test -r ${cliPath} && test -r ${join(process.cwd(), 'dist', 'cli.cjs')} && hostname any-host`);
  if (probe.status === null) return 'setpriv or unshare is not installed';
  if (probe.status !== 0) return `nobody cannot make a user namespace or read the checkout here (${probe.stderr.trim() || `exit ${probe.status}`})`;
  return null;
}

const skipReason = namespaceSkipReason();
if (skipReason !== null) console.warn(`skipping the user-namespace cases: ${skipReason}`);

describe.skipIf(skipReason !== null)('an ordinary user in a user namespace', () => {
  it('is recorded by the uid outside, marked as in a namespace, and kept out of root\'s profiles', () => {
    const home = join(scratch.dir, 'ns-home');
    const cli = `${process.execPath} ${cliPath} --home ${home}`;
    const run = asNobodyInNamespace(
      `hostname any-host; ${cli} profile install ${catalogPath}#hello && ${cli} -p per-user/root/profile profile install ${catalogPath}#hello; echo "owner-rule=$?"; ${cli} log --json`,
    );
    expect(run.stdout).toContain('owner-rule=1');
    expect(run.stderr).toContain("genledger: profile 'per-user/root/profile' belongs to user 'root', not 'nobody'");
    const events = JSON.parse(run.stdout.slice(run.stdout.indexOf('['))) as LoggedEvent[];
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event.actor).toEqual({ user: 'nobody', uid: 65534, host: 'any-host', userNamespace: true });
    const text = asNobodyInNamespace(`${cli} log`).stdout;
    expect(text).toContain('nobody (user namespace)@');
  });
});

describe('SUDO_USER from the environment', () => {
  it('is not recorded when no sudo started the command', async () => {
    const home = join(scratch.dir, 'sudo-home');
    mkdirSync(home);
    const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
    const run = await spawnCli(home, ['profile', 'install', `${catalogPath}#hello`], { env: { SUDO_USER: user === 'root' ? 'daemon' : 'root' } });
    expect(run.status, run.stderr).toBe(0);
    const events = JSON.parse((await spawnCli(home, ['log', '--json'])).stdout) as LoggedEvent[];
    for (const event of events) expect(event.actor.sudoUser).toBeUndefined();
  });
});
