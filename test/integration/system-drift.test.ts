/**
 * Drift on the system profile through the CLI: a generation made outside
 * genledger (as `nix-env -p …/system --set` leaves it: a new
 * `system-N-link` and the `system` link moved to it) is reported by
 * verify as drift with the fix adopt, refused by the system commands, and
 * recorded by `adopt -p system` with Nix's number and the links' mtimes;
 * afterwards verify is clean, genledger numbers on after Nix's generation,
 * and replay gives the same links byte for byte.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { lutimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

const GEN_A = 'examples/system/gen-a';
const GEN_B = 'examples/system/gen-b';

let home: TestHome;
afterEach(() => home?.cleanup());

const root = () => join(home.dir, 'home');
const profiles = () => join(root(), 'profiles');

async function storePathOf(dir: string): Promise<string> {
  const built = await home.run('system', 'build', dir);
  expect(built.code).toBe(0);
  return built.stdout.trim();
}

/** What `nix-env -p profiles/system --set PATH` does: a new generation link, then the profile link moved onto it. */
function nixEnvSet(generation: number, path: string, at: Date): void {
  const link = join(profiles(), `system-${generation}-link`);
  symlinkSync(path, link);
  lutimesSync(link, at, at);
  const temporary = join(profiles(), 'system.tmp');
  symlinkSync(`system-${generation}-link`, temporary);
  lutimesSync(temporary, at, at);
  renameSync(temporary, join(profiles(), 'system'));
}

/** The system profile's links, run links and boot files under a home: path, target or content, link mtime. */
function systemSnapshot(base: string): string[] {
  const out: string[] = [];
  const walk = (relative: string) => {
    const path = join(base, relative);
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) out.push(`${relative} -> ${readlinkSync(path)} @${stat.mtimeMs}`);
    else if (stat.isFile()) out.push(`${relative}: ${readFileSync(path, 'utf8')}`);
    else for (const name of readdirSync(path).sort()) walk(join(relative, name));
  };
  for (const name of readdirSync(join(base, 'profiles')).filter((entry) => /^system(-\d+-link)?$/.test(entry)).sort()) walk(join('profiles', name));
  walk('run');
  walk('boot');
  return out;
}

describe('drift on the system profile', () => {
  it('is reported by verify, refused by system commands, recorded by adopt -p system, and replays byte for byte', async () => {
    home = makeTestHome({ start: '2026-04-01T00:00:00Z' });
    const b = await storePathOf(GEN_B);
    expect((await home.run('system', 'switch', GEN_A, '--no-activate')).code).toBe(0);
    const outside = new Date('2026-04-02T12:00:00Z');
    nixEnvSet(2, b, outside);

    const verify = await home.run('verify', '--json');
    expect(verify.code).toBe(4);
    const problems = JSON.parse(verify.stdout).problems.filter((problem: { kind: string }) => problem.kind === 'drift');
    expect(problems.map((problem: { profile: string; fix: string; path: string }) => [problem.profile, problem.fix, problem.path])).toEqual([
      ['system', 'adopt', join(profiles(), 'system-2-link')],
      ['system', 'adopt', join(profiles(), 'system')],
    ]);
    expect(problems[0].message).toContain('genledger adopt -p system');
    expect(JSON.parse(verify.stdout).problems.filter((problem: { kind: string }) => problem.kind !== 'drift')).toEqual([]);

    const refused = await home.run('system', 'switch', GEN_A, '--no-activate', '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr).error).toMatchObject({ code: 'GENLEDGER_PROFILE_DRIFT', hint: "record it first with 'genledger adopt -p system'" });
    expect(readlinkSync(join(profiles(), 'system'))).toBe('system-2-link');

    const dryRun = await home.run('adopt', '-p', 'system', '--dry-run');
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain(`found: new generation 2 -> ${b}\nfound: the profile link moved from generation 1 to 2\nwould append SystemChangeObserved\n`);

    const adopted = await home.run('adopt', '-p', 'system', '--json');
    expect(adopted.code).toBe(0);
    expect(JSON.parse(adopted.stdout)).toMatchObject({ profile: 'system', generation: 2, events: ['SystemChangeObserved'], copied: [] });
    const log = JSON.parse((await home.run('log', '-p', 'system', '--json')).stdout);
    expect(log.at(-1)).toMatchObject({
      type: 'SystemChangeObserved',
      data: { generations: [{ generation: 2, systemPath: b, createdAt: outside.toISOString() }], deleted: [], bootDefault: { from: 1, to: 2, since: outside.toISOString() } },
    });
    expect(lstatSync(join(profiles(), 'system-2-link')).mtime.toISOString()).toBe(outside.toISOString());
    expect(readFileSync(join(root(), 'boot/loader/loader.conf'), 'utf8')).toContain('default nixos-generation-2.conf');
    expect((await home.run('verify')).code).toBe(0);
    expect((await home.run('adopt', '-p', 'system')).stderr).toContain('nothing to do');

    expect((await home.run('system', 'switch', GEN_A, '--no-activate')).code).toBe(0);
    expect(readlinkSync(join(profiles(), 'system'))).toBe('system-3-link');
    const listed = JSON.parse((await home.run('system', 'list-generations', '--json')).stdout);
    expect(listed.generations.map((generation: { generation: number; who: unknown }) => [generation.generation, generation.who === null])).toEqual([[1, false], [2, true], [3, false]]);
    expect((await home.run('verify')).code).toBe(0);

    const into = join(home.dir, 'replayed');
    expect((await home.run('replay', '--into', into)).code).toBe(0);
    expect(systemSnapshot(into)).toEqual(systemSnapshot(root()));
  });

  it('records a generation link deleted and a link retargeted outside genledger', async () => {
    home = makeTestHome({ start: '2026-04-01T00:00:00Z' });
    const [a, b] = [await storePathOf(GEN_A), await storePathOf(GEN_B)];
    for (const source of [GEN_A, GEN_B, GEN_A]) expect((await home.run('system', 'boot', source)).code).toBe(0);
    rmSync(join(profiles(), 'system-1-link'));
    rmSync(join(profiles(), 'system-2-link'));
    symlinkSync(a, join(profiles(), 'system-2-link'));

    const verify = JSON.parse((await home.run('verify', '--json')).stdout);
    expect(verify.problems.map((problem: { kind: string; fix: string }) => [problem.kind, problem.fix])).toEqual([
      ['drift', 'adopt'],
      ['drift', 'adopt'],
    ]);
    expect((await home.run('system', 'rollback', '--no-activate')).code).toBe(1);

    const adopted = await home.run('adopt', '-p', 'system', '--json');
    expect(adopted.code).toBe(0);
    expect(JSON.parse(adopted.stdout).drift.generations).toEqual([
      { generation: 1, kind: 'vanished', ledgerPath: a },
      { generation: 2, kind: 'retargeted', target: a, ledgerPath: b },
    ]);
    expect((await home.run('verify')).code).toBe(0);
    const listed = JSON.parse((await home.run('system', 'list-generations', '--json')).stdout);
    expect(listed.generations.map((generation: { generation: number }) => generation.generation)).toEqual([2, 3]);
  });
});
