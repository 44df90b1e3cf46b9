/**
 * `profile install FLAKE#attr` and `profile upgrade` through genledger's
 * use cases, with the session pointed at a Nix store the test owns (until
 * `--store nix` sets session.nix, the test sets it): the generation genledger
 * builds has the manifest.json bytes and the profile store path that `nix
 * profile install` gives for the same reference, the event records the
 * flake's facts, and an upgrade after the flake's source changed records
 * the old and new locked urls and store paths, as `nix profile upgrade`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPackages, upgradePackages } from '../../src/app/profile/profile-use-cases.js';
import { resolveProfile } from '../../src/app/profile/profile-location.js';
import { withSession } from '../../src/app/session/session.js';
import type { World } from '../../src/world.js';
import { makeFlakeWorld, nixForFlakes } from '../nix/flake-fixtures.js';
import type { FlakeWorld } from '../nix/flake-fixtures.js';

if (!nixForFlakes.available) console.warn(`compat: skipping flake profiles against real Nix: ${nixForFlakes.reason}`);

describe.skipIf(!nixForFlakes.available)('flake installables in a genledger profile, compared with nix profile', () => {
  let flakes: FlakeWorld;
  let flake: string;
  let seconds = 0;

  function world(): World {
    seconds += 1;
    return {
      now: () => new Date(Date.UTC(2027, 0, 1, 0, 0, seconds)),
      actor: { user: 'alice', uid: 1000, host: 'testhost' },
      newId: () => randomUUID(),
      pid: process.pid,
      argv: ['profile'],
      env: flakes.env,
      cwd: flakes.dir,
      stdout: { write: () => undefined, isTTY: false },
      stderr: { write: () => undefined, isTTY: false },
      sleep: async () => undefined,
    };
  }

  /** Runs a use case on the test's home, its store being the Nix store's directory, with session.nix set. */
  function onNixStore<T>(run: Parameters<typeof withSession<T>>[2]): Promise<T> {
    return withSession(world(), { home: join(flakes.dir, 'home'), storeDir: flakes.target.storeDir }, (session) => {
      session.nix = flakes.target;
      return run(session);
    });
  }

  function generation(profile: string): { path: string; manifest: string } {
    const path = readlinkSync(join(profile, '..', readlinkSync(profile)));
    return { path, manifest: readFileSync(join(path, 'manifest.json'), 'utf8') };
  }

  beforeAll(() => {
    flakes = makeFlakeWorld();
    flake = flakes.writeFlake('pkgs', { hello: { drvName: 'hello-1.0', text: 'one' }, greet: { drvName: 'greet-2.0', text: 'greetings' } });
  });
  afterAll(() => flakes?.cleanup());

  it('installs FLAKE#attr with the profile path and manifest.json nix profile install gives', async () => {
    const outcome = await onNixStore((session) => installPackages(session, resolveProfile(session.home, 'profile'), [`${flake}#hello`, `path:${flake}#greet`], { dryRun: false }));
    const nixProfile = join(flakes.dir, 'nix-profile');
    flakes.nix(['profile', 'install', '--profile', nixProfile, `${flake}#hello`, `path:${flake}#greet`]);
    const ours = generation(join(flakes.dir, 'home', 'profiles', 'profile'));
    const theirs = generation(nixProfile);
    expect(ours.manifest).toBe(theirs.manifest);
    expect(ours.path).toBe(theirs.path);
    const installed = outcome.events.find((event) => event.type === 'PackagesInstalled')?.data as { installed: Array<{ name: string; source: unknown }> };
    expect(installed.installed.map((element) => element.name)).toEqual(['hello', 'greet']);
    expect(installed.installed[0]?.source).toEqual({
      originalUrl: `path:${flake}`,
      url: expect.stringMatching(/narHash=sha256-/) as unknown,
      attrPath: `packages.${flakes.system}.hello`,
    });
    expect(flakes.nix(['profile', 'list', '--profile', join(flakes.dir, 'home', 'profiles', 'profile')])).toBe(flakes.nix(['profile', 'list', '--profile', nixProfile]));
  });

  it('upgrades an unlocked flake element after its source changed, as nix profile upgrade does', async () => {
    flakes.writeFlake('pkgs', { hello: { drvName: 'hello-1.1', text: 'two' }, greet: { drvName: 'greet-2.0', text: 'greetings' } });
    const outcome = await onNixStore((session) => upgradePackages(session, resolveProfile(session.home, 'profile'), [], { dryRun: false }));
    const nixProfile = join(flakes.dir, 'nix-profile');
    flakes.nix(['profile', 'upgrade', '--profile', nixProfile, '.*']);
    const ours = generation(join(flakes.dir, 'home', 'profiles', 'profile'));
    expect(ours.manifest).toBe(generation(nixProfile).manifest);
    const upgraded = outcome.events.find((event) => event.type === 'PackagesUpgraded')?.data as {
      upgraded: Array<{ name: string; from: { storePaths: string[]; url: string }; to: { storePaths: string[]; url: string } }>;
    };
    expect(upgraded.upgraded.map((element) => element.name)).toContain('hello');
    const hello = upgraded.upgraded.find((element) => element.name === 'hello');
    expect(hello?.from.storePaths[0]).toMatch(/-hello-1\.0$/);
    expect(hello?.to.storePaths[0]).toMatch(/-hello-1\.1$/);
    expect(hello?.to.url).not.toBe(hello?.from.url);
  });

  it('leaves an element installed from a locked reference alone on upgrade, as nix profile upgrade does', async () => {
    const pinned = flakes.writeFlake('pinned', { tool: { drvName: 'tool-1.0', text: 'one' } });
    const locked = JSON.parse(flakes.nix(['flake', 'metadata', '--json', pinned])) as { url: string };
    const location = (home: Parameters<typeof resolveProfile>[0]) => resolveProfile(home, 'pinned');
    await onNixStore((session) => installPackages(session, location(session.home), [`${locked.url}#tool`], { dryRun: false }));
    flakes.writeFlake('pinned', { tool: { drvName: 'tool-2.0', text: 'two' } });
    const outcome = await onNixStore((session) => upgradePackages(session, location(session.home), [], { dryRun: false }));
    expect(outcome.events).toEqual([]);
  });

  it('on the embedded store, passes over flake elements on --all and refuses to upgrade one by name', async () => {
    const onEmbedded = <T>(run: Parameters<typeof withSession<T>>[2]): Promise<T> =>
      withSession(world(), { home: join(flakes.dir, 'home'), storeDir: flakes.target.storeDir }, run);
    const all = await onEmbedded((session) => upgradePackages(session, resolveProfile(session.home, 'profile'), [], { dryRun: false }));
    expect(all.events).toEqual([]);
    const named = await onEmbedded((session) => upgradePackages(session, resolveProfile(session.home, 'profile'), ['hello'], { dryRun: false })).catch((error: unknown) => error);
    expect(named).toMatchObject({ code: 'GENLEDGER_FLAKES_NEED_NIX', hint: 'use --store nix' });
  });
});
