import { existsSync, lstatSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envManifestText, generationLink, handStore, profileLink } from './nix-profile-fixture.js';
import type { HandStore } from './nix-profile-fixture.js';
import { loggedEvents, makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

const T0 = Date.parse('2025-06-01T12:00:00Z') / 1000;

let dir: string;
let store: HandStore;
let home: TestHome;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'genledger-import-'));
  store = handStore(dir);
  home = makeTestHome();
});

afterEach(() => {
  home.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** A home whose chroot store is named for the hand-built store's directory, so the links' targets are its paths. */
const inStore = (...args: string[]) => home.run('--store-dir', store.storeDir, '--store-root', join(dir, 'root'), ...args);

function links(profiles: string, base: string): Array<[string, string, number]> {
  return readdirSync(profiles)
    .filter((name) => name === base || name.startsWith(`${base}-`))
    .sort()
    .map((name) => [name, readlinkSync(join(profiles, name)), Math.floor(lstatSync(join(profiles, name)).mtimeMs / 1000)]);
}

/** Generations 1 (v1), 2 (v2), 3 (v3), 5 (manifest.nix); 4 was deleted; the profile was rolled back to 3. */
function nixProfile(): { dir: string; gens: Record<number, string>; pkgs: Record<'pkga' | 'pkgb' | 'pkgb2' | 'pkgc', string> } {
  const pkgs = {
    pkga: store.package('pkga-1.0', 'a'),
    pkgb: store.package('pkgb-2.0', 'b'),
    pkgb2: store.package('pkgb-2.1', 'b'),
    pkgc: store.package('pkgc-3.0', 'c'),
  };
  const gens: Record<number, string> = {
    1: store.profilePath(`{"elements":[{"active":true,"storePaths":["${pkgs.pkga}"]}],"version":1}`, [pkgs.pkga]),
    2: store.profilePath(`{"elements":[{"active":true,"storePaths":["${pkgs.pkga}"]},{"active":true,"storePaths":["${pkgs.pkgb}"]}],"version":2}`, [pkgs.pkga, pkgs.pkgb]),
    3: store.profilePath(
      `{"elements":{"pkga":{"active":true,"priority":5,"storePaths":["${pkgs.pkga}"]},"pkgb":{"active":true,"priority":4,"storePaths":["${pkgs.pkgb2}"]}},"version":3}`,
      [pkgs.pkga, pkgs.pkgb2],
    ),
    5: store.userEnvironment(envManifestText([{ path: pkgs.pkgc, name: 'pkgc-3.0' }, { path: pkgs.pkga, name: 'pkga-1.0', meta: 'priority = "4";' }]), [pkgs.pkgc, pkgs.pkga]),
  };
  const profiles = join(dir, 'nix');
  for (const [number, target] of Object.entries(gens)) generationLink(profiles, 'nixprof', Number(number), target, T0 + 100 * Number(number));
  profileLink(profiles, 'nixprof', 3, T0 + 1000);
  return { dir: profiles, gens, pkgs };
}

describe('genledger import-nix', () => {
  it('takes over every generation with the same numbers, targets, dates and current generation, gaps and rollback included', async () => {
    const nix = nixProfile();
    const result = await inStore('import-nix', join(nix.dir, 'nixprof'));
    expect(result.stderr).toContain("imported 4 generations of");
    expect(result.code).toBe(0);
    const profiles = join(home.dir, 'home', 'profiles');
    expect(links(profiles, 'nixprof')).toEqual(links(nix.dir, 'nixprof'));
    expect(readlinkSync(join(profiles, 'nixprof'))).toBe('nixprof-3-link');
    expect((await home.run('verify')).code).toBe(0);
  });

  it('reads manifest.json v1, v2, v3 and manifest.nix into elements with names, store paths and priorities', async () => {
    const nix = nixProfile();
    expect((await inStore('import-nix', join(nix.dir, 'nixprof'))).code).toBe(0);
    const list = async (generation: string) => JSON.parse((await home.run('-p', 'nixprof', 'profile', 'list', '--generation', generation, '--json')).stdout).elements;
    expect(await list('1')).toEqual([{ name: 'pkga', active: true, priority: 5, storePaths: [nix.pkgs.pkga] }]);
    expect((await list('2')).map((e: { name: string }) => e.name)).toEqual(['pkga', 'pkgb']);
    expect((await list('3')).map((e: { name: string; priority: number; storePaths: string[] }) => [e.name, e.priority, e.storePaths])).toEqual([
      ['pkga', 5, [nix.pkgs.pkga]],
      ['pkgb', 4, [nix.pkgs.pkgb2]],
    ]);
    expect((await list('5')).map((e: { name: string; priority: number }) => [e.name, e.priority])).toEqual([
      ['pkgc', 5],
      ['pkga', 4],
    ]);
  });

  it('records one event per generation at its link mtime, by the imported actor, and the gap as already deleted', async () => {
    const nix = nixProfile();
    await inStore('import-nix', join(nix.dir, 'nixprof'));
    const log = JSON.parse((await home.run('log', '--json')).stdout) as Array<{ type: string; at: string; actor: { user: string; host: string }; data: Record<string, unknown> }>;
    expect(log.map((event) => event.type)).toEqual(['GenerationImported', 'GenerationImported', 'GenerationImported', 'GenerationImported', 'ProfileImported']);
    expect(log.map((event) => Date.parse(event.at) / 1000)).toEqual([T0 + 100, T0 + 200, T0 + 300, T0 + 500, T0 + 1000]);
    expect(new Set(log.map((event) => `${event.actor.user}@${event.actor.host}`))).toEqual(new Set(['imported@testhost']));
    const closing = log.at(-1)?.data;
    expect(closing).toMatchObject({ generations: [1, 2, 3, 5], gaps: [[4, 4]], current: 3, importedBy: { user: 'alice' } });
    expect(log.map((event) => event.data.format).slice(0, 4)).toEqual(['manifest.json v1', 'manifest.json v2', 'manifest.json v3', 'manifest.nix']);
  });

  it('copies the generations into the store with the references found among the profile paths', async () => {
    const nix = nixProfile();
    await inStore('import-nix', join(nix.dir, 'nixprof'));
    const info = JSON.parse((await home.run('store', 'info', '--json', nix.gens[5] as string)).stdout) as Array<{ references: string[] }>;
    const envManifest = readlinkSync(join(nix.gens[5] as string, 'manifest.nix'));
    expect(info[0]?.references).toEqual([nix.pkgs.pkga, nix.pkgs.pkgc, envManifest].sort());
    expect(existsSync(join(dir, 'root', nix.gens[1] as string, 'manifest.json'))).toBe(true);
    expect((await home.run('store', 'verify', '--contents')).code).toBe(0);
  });

  it('continues the imported profile: rollback skips the gap, a new install numbers above every imported generation', async () => {
    const nix = nixProfile();
    await inStore('import-nix', join(nix.dir, 'nixprof'));
    expect((await home.run('-p', 'nixprof', 'profile', 'rollback')).code).toBe(0);
    const profiles = join(home.dir, 'home', 'profiles');
    expect(readlinkSync(join(profiles, 'nixprof'))).toBe('nixprof-2-link');
    expect((await home.run('-p', 'nixprof', 'profile', 'install', nix.pkgs.pkgc)).code).toBe(0);
    expect(readlinkSync(join(profiles, 'nixprof'))).toBe('nixprof-6-link');
  });

  it('previews with --dry-run and writes nothing', async () => {
    const nix = nixProfile();
    const result = await inStore('import-nix', '--dry-run', '--json', join(nix.dir, 'nixprof'));
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan.events.map((e: { type: string }) => e.type)).toHaveLength(5);
    expect(plan.copies).toContain(nix.gens[3]);
    expect(existsSync(join(home.dir, 'home', 'profiles'))).toBe(false);
    expect(existsSync(join(dir, 'root'))).toBe(false);
    expect(JSON.parse((await home.run('log', '--json')).stdout)).toEqual([]);
  });

  it('refuses links into another store directory, naming it, and writes nothing', async () => {
    const nix = nixProfile();
    const result = await home.run('import-nix', join(nix.dir, 'nixprof'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`which is not a path of this home's store`);
    expect(result.stderr).toContain(`--store-dir ${store.storeDir}`);
    expect(existsSync(join(home.dir, 'home', 'profiles'))).toBe(false);
  });

  it('refuses a manifest.nix it cannot read with one line and a hint, and imports nothing', async () => {
    const pkg = store.package('pkga-1.0', 'a');
    const broken = store.userEnvironment(`[ { name = "pkga-1.0"; outPath = "${pkg}" } ]`, [pkg]);
    generationLink(join(dir, 'nix'), 'bad', 1, broken, T0);
    profileLink(join(dir, 'nix'), 'bad', 1, T0);
    const result = await inStore('import-nix', join(dir, 'nix', 'bad'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^genledger: manifest '.*manifest\.nix' lacks ';' at byte \d+\nhint: /);
    expect(await loggedEvents(home)).toEqual([]);
  });

  it('refuses to import over a profile the ledger already has', async () => {
    const nix = nixProfile();
    expect((await inStore('import-nix', join(nix.dir, 'nixprof'))).code).toBe(0);
    const again = await inStore('import-nix', join(nix.dir, 'nixprof'));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("profile 'nixprof' already has a history");
    expect((await inStore('import-nix', '--as', 'copy', join(nix.dir, 'nixprof'))).code).toBe(0);
  });

  it('refuses something that is not a profile link', async () => {
    writeFileSync(join(dir, 'plain'), 'x');
    const result = await inStore('import-nix', join(dir, 'plain'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not a profile link');
  });
});
