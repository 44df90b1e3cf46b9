/**
 * Flake installables through the real CLI with `--store nix` on a Nix store
 * the test owns: the generation genledger builds has the manifest.json
 * bytes and the profile store path `nix profile install` gives for the same
 * references, the event records the flake's facts, `nix profile list` reads
 * it as its own, an upgrade after the flake's source changed records the
 * old and new locked urls and store paths as `nix profile upgrade` finds
 * them, a locked reference is left alone, and replay uses the recorded
 * store paths without evaluating anything.
 */
import { readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestHome } from '../integration/test-world.js';
import type { TestHome } from '../integration/test-world.js';
import { makeFlakeWorld, nixForFlakes } from '../nix/flake-fixtures.js';
import type { FlakeWorld } from '../nix/flake-fixtures.js';

if (!nixForFlakes.available) console.warn(`compat: skipping flake profiles against real Nix: ${nixForFlakes.reason}`);

interface LoggedEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

describe.skipIf(!nixForFlakes.available)('flake installables through genledger --store nix, compared with nix profile', () => {
  let flakes: FlakeWorld;
  let flake: string;
  let home: TestHome;
  let ourProfile: string;
  let nixProfile: string;
  const run = (...args: string[]) => home.run('--store', `nix:${flakes.target.cliStoreUri}`, ...args);

  function generation(profile: string): { path: string; manifest: string } {
    const path = readlinkSync(join(profile, '..', readlinkSync(profile)));
    return { path, manifest: readFileSync(join(path, 'manifest.json'), 'utf8') };
  }

  async function events(profile: string): Promise<LoggedEvent[]> {
    return JSON.parse((await run('-p', profile, 'log', '--json')).stdout) as LoggedEvent[];
  }

  beforeAll(() => {
    flakes = makeFlakeWorld();
    flake = flakes.writeFlake('pkgs', { hello: { drvName: 'hello-1.0', text: 'one' }, greet: { drvName: 'greet-2.0', text: 'greetings' } });
    home = makeTestHome({ env: flakes.env });
    ourProfile = join(flakes.dir, 'ours');
    nixProfile = join(flakes.dir, 'theirs');
  });
  afterAll(() => {
    home?.cleanup();
    flakes?.cleanup();
  });

  it('installs FLAKE#attr with the profile path and manifest.json nix profile install gives', async () => {
    const installed = await run('-p', ourProfile, 'profile', 'install', `${flake}#hello`, `path:${flake}#greet`);
    expect(installed.stderr).not.toContain('hint');
    expect(installed.code).toBe(0);
    flakes.nix(['profile', 'install', '--profile', nixProfile, `${flake}#hello`, `path:${flake}#greet`]);
    const ours = generation(ourProfile);
    expect(ours.manifest).toBe(generation(nixProfile).manifest);
    expect(ours.path).toBe(generation(nixProfile).path);
    const event = (await events(ourProfile)).find((e) => e.type === 'PackagesInstalled');
    const elements = event?.data.installed as Array<{ name: string; source: unknown; storePaths: string[] }>;
    expect(elements.map((element) => element.name)).toEqual(['hello', 'greet']);
    expect(elements[0]?.source).toEqual({ originalUrl: `path:${flake}`, url: expect.stringMatching(/narHash=sha256-/) as unknown, attrPath: `packages.${flakes.system}.hello` });
    expect(elements[0]?.storePaths[0]).toMatch(/-hello-1\.0$/);
    expect(flakes.nix(['profile', 'list', '--profile', ourProfile])).toBe(flakes.nix(['profile', 'list', '--profile', nixProfile]));
  });

  it('upgrades an unlocked flake element after its source changed, as nix profile upgrade does', async () => {
    flakes.writeFlake('pkgs', { hello: { drvName: 'hello-1.1', text: 'two' }, greet: { drvName: 'greet-2.0', text: 'greetings' } });
    expect((await run('-p', ourProfile, 'profile', 'upgrade', '--all')).code).toBe(0);
    flakes.nix(['profile', 'upgrade', '--profile', nixProfile, '.*']);
    expect(generation(ourProfile).manifest).toBe(generation(nixProfile).manifest);
    expect(generation(ourProfile).path).toBe(generation(nixProfile).path);
    const event = (await events(ourProfile)).find((e) => e.type === 'PackagesUpgraded');
    const hello = (event?.data.upgraded as Array<{ name: string; from: { storePaths: string[]; url: string }; to: { storePaths: string[]; url: string } }>).find((e) => e.name === 'hello');
    expect(hello?.from.storePaths[0]).toMatch(/-hello-1\.0$/);
    expect(hello?.to.storePaths[0]).toMatch(/-hello-1\.1$/);
    expect(hello?.to.url).not.toBe(hello?.from.url);
  });

  it('leaves an element installed from a locked reference alone on upgrade', async () => {
    const pinned = flakes.writeFlake('pinned', { tool: { drvName: 'tool-1.0', text: 'one' } });
    const locked = JSON.parse(flakes.nix(['flake', 'metadata', '--json', pinned])) as { url: string };
    const profile = join(flakes.dir, 'pinned-profile');
    expect((await run('-p', profile, 'profile', 'install', `${locked.url}#tool`)).code).toBe(0);
    flakes.writeFlake('pinned', { tool: { drvName: 'tool-2.0', text: 'two' } });
    const before = generation(profile).path;
    expect((await run('-p', profile, 'profile', 'upgrade', '--all')).code).toBe(0);
    expect(generation(profile).path).toBe(before);
  });

  it('replays from the recorded store paths without evaluating: the flake may be gone', async () => {
    const before = generation(ourProfile);
    flakes.writeFlake('pkgs', { hello: { drvName: 'hello-9.9', text: 'nine' }, greet: { drvName: 'greet-9.9', text: 'nine' } }, 'broken = throw "evaluated";');
    for (const name of readdirSync(flakes.dir).filter((entry) => entry === 'ours' || entry.startsWith('ours-'))) rmSync(join(flakes.dir, name));
    const replayed = await run('replay');
    expect(replayed.code).toBe(0);
    expect(generation(ourProfile)).toEqual(before);
  });
});
