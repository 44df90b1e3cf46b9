/**
 * `genledger switch-profile` through the CLI, always with a temporary HOME:
 * the link it writes, its record in the log, replay, and what it refuses.
 */
import { lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

describe('switch-profile', () => {
  let t: TestHome;
  let userHome: string;
  let link: string;

  beforeEach(() => {
    userHome = mkdtempSync(join(tmpdir(), 'genledger-user-home-'));
    link = join(userHome, '.nix-profile');
    t = makeTestHome({ env: { HOME: userHome } });
  });
  afterEach(() => {
    t.cleanup();
    rmSync(userHome, { recursive: true, force: true });
  });

  it('points ~/.nix-profile at an absolute profile path and reports it as JSON', async () => {
    const profile = join(t.dir, 'profiles', 'work');
    const result = await t.run('--json', 'switch-profile', profile);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ dryRun: false, link, profile, target: profile, previous: null, changed: true, events: ['ProfileSwitched'] });
    expect(readlinkSync(link)).toBe(profile);
  });

  it("writes the base name when the profile lies beside ~/.nix-profile, as Nix's switchLink", async () => {
    expect((await t.run('switch-profile', join(userHome, 'my-profile'))).code).toBe(0);
    expect(readlinkSync(link)).toBe('my-profile');
  });

  it('resolves a relative path against the working directory and normalises it', async () => {
    const profile = join(t.dir, 'elsewhere', 'p');
    const given = `${relative(process.cwd(), join(t.dir, 'elsewhere', 'x'))}/../p/`;
    const result = await t.run('--json', 'switch-profile', given);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).profile).toBe(profile);
    expect(readlinkSync(link)).toBe(resolve(profile));
  });

  it('records ProfileSwitched with the previous target, once per change, and log shows it', async () => {
    await t.run('switch-profile', join(t.dir, 'a'));
    await t.run('switch-profile', join(t.dir, 'b'));
    const again = await t.run('--json', 'switch-profile', join(t.dir, 'b'));
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: false, events: [] });
    const log = JSON.parse((await t.run('--json', 'log')).stdout) as Array<{ stream: string; type: string; data: unknown; actor: { user: string } }>;
    expect(log.map((event) => [event.stream, event.type, event.data])).toEqual([
      ['nix:profile-switches', 'ProfileSwitched', { link, profile: join(t.dir, 'a'), target: join(t.dir, 'a'), previous: null }],
      ['nix:profile-switches', 'ProfileSwitched', { link, profile: join(t.dir, 'b'), target: join(t.dir, 'b'), previous: join(t.dir, 'a') }],
    ]);
    expect(log[0]?.actor.user).toBe('alice');
    expect((await t.run('log')).stdout).toContain(`pointed ${link} at ${join(t.dir, 'b')}`);
  });

  it('is put back by replay, as of the end of the log or of an earlier point', async () => {
    await t.run('switch-profile', join(t.dir, 'a'));
    await t.run('switch-profile', join(t.dir, 'b'));
    rmSync(link);
    expect((await t.run('replay')).code).toBe(0);
    expect(readlinkSync(link)).toBe(join(t.dir, 'b'));
    expect((await t.run('replay', '--at', '1')).code).toBe(0);
    expect(readlinkSync(link)).toBe(join(t.dir, 'a'));
  });

  it('is not a profile: profiles, verify and export do not list it', async () => {
    await t.run('switch-profile', join(t.dir, 'a'));
    expect(JSON.parse((await t.run('--json', 'profiles')).stdout)).toEqual({ profiles: [] });
    expect((await t.run('verify')).code).toBe(0);
  });

  it('changes nothing with --dry-run and prints the plan', async () => {
    const result = await t.run('--json', 'switch-profile', '--dry-run', join(t.dir, 'a'));
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan).toMatchObject({ dryRun: true, changed: true, events: [{ type: 'ProfileSwitched', v: 1 }], operations: [{ op: 'switch', path: link, target: join(t.dir, 'a') }] });
    expect(() => lstatSync(link)).toThrow();
    expect(JSON.parse((await t.run('--json', 'log')).stdout)).toEqual([]);
  });

  it('refuses a path inside the store', async () => {
    await t.run('store', 'add', join(process.cwd(), 'examples'));
    const store = join(t.dir, 'home', 'store');
    const result = await t.run('--json', 'switch-profile', join(store, 'x-profile'));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr).error.code).toBe('GENLEDGER_BAD_PROFILE_NAME');
    expect(() => lstatSync(link)).toThrow();
  });

  it('refuses to replace a ~/.nix-profile that is not a link', async () => {
    mkdirSync(link);
    const result = await t.run('--json', 'switch-profile', join(t.dir, 'a'));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr).error.code).toBe('GENLEDGER_PROFILE_PATH_TAKEN');
    expect(lstatSync(link).isDirectory()).toBe(true);
  });

  it('replaces an existing link atomically and leaves no temporary link', async () => {
    symlinkSync('/nix/var/nix/profiles/default', link);
    expect((await t.run('switch-profile', join(t.dir, 'a'))).code).toBe(0);
    expect(readlinkSync(link)).toBe(join(t.dir, 'a'));
    expect(() => lstatSync(join(userHome, '.0_.nix-profile'))).toThrow();
  });
});

describe('switch-profile without HOME', () => {
  it('is a usage error naming HOME', async () => {
    const t = makeTestHome({ env: { HOME: 'relative' } });
    try {
      const result = await t.run('--json', 'switch-profile', '/tmp/x');
      expect(result.code).toBe(2);
      expect(JSON.parse(result.stderr).error.code).toBe('GENLEDGER_NO_HOME');
    } finally {
      t.cleanup();
    }
  });
});
