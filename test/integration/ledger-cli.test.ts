import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Level } from 'level';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

const catalog = 'examples/catalog.json';
let home: TestHome;

afterEach(() => home?.cleanup());

async function tamperWithEvent(dir: string, stream: string, version: number, edit: (text: string) => string): Promise<void> {
  const db = new Level<string, string>(join(dir, 'home', 'db'));
  const key = `!ledger!stream!${stream}!${String(version).padStart(16, '0')}`;
  const text = await db.get(key);
  if (text === undefined) throw new Error(`no event at ${key}`);
  await db.put(key, edit(text));
  await db.close();
}

describe('log, verify and key through the CLI', () => {
  it('filters the log by package, type and time, as text and JSON', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`, '-m', 'needed for the demo');
    await home.run('profile', 'install', `${catalog}#greet`);
    await home.run('profile', 'remove', 'hello');
    const hello = JSON.parse((await home.run('log', '--package', 'hello', '--json')).stdout);
    expect(hello.map((e: { type: string }) => e.type)).toEqual(['PackagesInstalled', 'PackagesRemoved']);
    expect(hello[0]).toMatchObject({ seq: 2, stream: 'profile', actor: { user: 'alice', host: 'testhost' }, reason: 'needed for the demo' });
    const removals = JSON.parse((await home.run('log', '--type', 'PackagesRemoved', '--json')).stdout);
    expect(removals).toHaveLength(1);
    const early = JSON.parse((await home.run('log', '--until', hello[0].at, '--json')).stdout);
    expect(early.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    const text = (await home.run('log', '--package', 'hello')).stdout;
    expect(text).toMatch(/^seq 2 {2}\S+ {2}alice@testhost {2}profile v2 {2}PackagesInstalled\n {4}\$ genledger profile install examples\/catalog.json#hello -m needed for the demo\n {4}installed hello -> generation 1\n {4}reason: needed for the demo\n/);
  });

  it('verifies a clean home, then names the event a tampered byte breaks, with exit 4', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    await home.run('profile', 'install', `${catalog}#greet`);
    expect((await home.run('verify')).code).toBe(0);
    await tamperWithEvent(home.dir, 'profile', 2, (text) => text.replace('"hello"', '"hellp"'));
    const result = await home.run('verify', '--json');
    expect(result.code).toBe(4);
    const report = JSON.parse(result.stdout);
    expect(report.problems[0]).toMatchObject({ kind: 'hash', stream: 'profile', version: 2 });
  });

  it('reports a generation link replaced by hand as a projection problem, which replay repairs', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    const { rmSync, symlinkSync } = await import('node:fs');
    const link = join(home.dir, 'home', 'profiles', 'profile-1-link');
    rmSync(link);
    symlinkSync('/nowhere', link);
    const broken = await home.run('verify');
    expect(broken.code).toBe(4);
    expect(broken.stderr).toContain("profile 'profile' generation 1 points at /nowhere");
    expect((await home.run('replay')).code).toBe(0);
    expect((await home.run('verify')).code).toBe(0);
  });

  it('generates Nix-format keys, signs events with --sign-key and requires them with --trusted-key', async () => {
    home = makeTestHome();
    const keyDir = join(home.dir, 'keys');
    const generated = JSON.parse((await home.run('key', 'generate', 'test-1', '--dir', keyDir, '--json')).stdout);
    expect(readFileSync(generated.secretKeyFile, 'utf8')).toMatch(/^test-1:[A-Za-z0-9+/]{86}==$/);
    expect(readFileSync(generated.publicKeyFile, 'utf8')).toMatch(/^test-1:[A-Za-z0-9+/]{43}=$/);
    expect(statSync(generated.secretKeyFile).mode & 0o777).toBe(0o600);
    expect((await home.run('key', 'generate', 'test-1', '--dir', keyDir)).code).toBe(1);
    await home.run('profile', 'install', `${catalog}#hello`);
    await home.run('--sign-key', generated.secretKeyFile, 'profile', 'install', `${catalog}#greet`);
    const events = JSON.parse((await home.run('log', '--json')).stdout);
    expect(events.map((e: { sig?: string }) => e.sig?.startsWith('test-1:') ?? false)).toEqual([false, false, true]);
    const strict = await home.run('verify', '--trusted-key', generated.publicKeyFile, '--json');
    expect(strict.code).toBe(4);
    expect(JSON.parse(strict.stdout).problems.map((p: { kind: string }) => p.kind)).toEqual(['unsigned', 'unsigned']);
  });

  it('warns, without failing, when a stream that was signed stops being signed', async () => {
    home = makeTestHome();
    const keyDir = join(home.dir, 'keys');
    const generated = JSON.parse((await home.run('key', 'generate', 'test-1', '--dir', keyDir, '--json')).stdout);
    await home.run('--sign-key', generated.secretKeyFile, 'profile', 'install', `${catalog}#hello`);
    expect(JSON.parse((await home.run('verify', '--json')).stdout).warnings).toEqual([]);
    await home.run('profile', 'install', `${catalog}#greet`);
    const text = await home.run('verify');
    expect(text.code).toBe(0);
    expect(text.stderr).toBe("genledger: warning: stream 'profile' stopped being signed at event 3: earlier events are signed, later ones are not (the key was dropped, or the signatures were stripped)\n");
    expect(JSON.parse((await home.run('verify', '--json')).stdout).warnings).toHaveLength(1);
  });

  it('reports a lost projection checkpoint, which replay restores', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    const db = new Level<string, string>(join(home.dir, 'home', 'db'));
    await db.del('!projection!checkpoint');
    await db.close();
    const lost = await home.run('verify');
    expect(lost.code).toBe(4);
    expect(lost.stderr).toContain('the projection checkpoint is missing; replay restores this: genledger replay');
    expect((await home.run('replay')).code).toBe(0);
    expect((await home.run('verify')).code).toBe(0);
  });

  it('time-travels the live home with replay --at until the next command brings back the head', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    await home.run('profile', 'install', `${catalog}#greet`);
    const { readlinkSync } = await import('node:fs');
    const profile = join(home.dir, 'home', 'profiles', 'profile');
    expect((await home.run('replay', '--at', '2')).code).toBe(0);
    expect(readlinkSync(profile)).toBe('profile-1-link');
    await home.run('profile', 'list');
    expect(readlinkSync(profile)).toBe('profile-2-link');
    expect((await home.run('verify')).code).toBe(0);
  });
});
