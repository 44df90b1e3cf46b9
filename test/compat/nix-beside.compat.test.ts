/**
 * genledger and Nix 2.8 taking turns on one profile, on a real Nix store
 * the test owns (`local?store=D/store&state=…`, where Nix builds flakes
 * without a sandbox): `nix profile install`, `nix-env --rollback`, `nix
 * profile upgrade`/`remove` and genledger's commands interleaved. genledger
 * takes the Nix-made profile over in place (`import-nix P`, on the Nix backend: nothing
 * copied, the whole history kept), refuses to write over generations it did
 * not make, `verify` reports them as drift, `adopt` records them and the
 * next generation genledger makes takes the next number; Nix's commands
 * read and change the generations genledger made. The CLI is spawned from
 * dist/. Skipped, saying why, without Nix or root.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFlakeWorld, nixForFlakes } from '../nix/flake-fixtures.js';
import type { FlakeWorld } from '../nix/flake-fixtures.js';
import { spawnCli } from '../reliability/cli-runners.js';
import type { Spawned } from '../reliability/cli-runners.js';

if (!nixForFlakes.available) console.warn(`compat: skipping genledger beside nix profile and nix-env: ${nixForFlakes.reason}`);

/** Each generation link of the profile P: number → [target, mtime in seconds]. */
function generationLinks(profile: string): Record<number, [string, number]> {
  const dir = join(profile, '..');
  const links: Record<number, [string, number]> = {};
  for (const name of readdirSync(dir)) {
    const match = /^p-(\d+)-link$/.exec(name);
    if (match !== null) links[Number(match[1])] = [readlinkSync(join(dir, name)), Math.floor(lstatSync(join(dir, name)).mtimeMs / 1000)];
  }
  return links;
}

describe.skipIf(!nixForFlakes.available)('genledger beside nix profile and nix-env on one profile (--store nix)', () => {
  let flakes: FlakeWorld;
  let profile: string;
  let flake: string;
  const paths: Record<string, string> = {};
  const genledger = (...args: string[]): Promise<Spawned> =>
    spawnCli(join(flakes.dir, 'home'), ['--store', `nix:${flakes.target.cliStoreUri}`, ...args], { env: { ...flakes.env, NIX_REMOTE: '' }, cwd: flakes.dir, timeoutMs: 120_000 });
  const ok = async (...args: string[]): Promise<Spawned> => {
    const result = await genledger(...args);
    if (result.status !== 0) throw new Error(`genledger ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    return result;
  };
  const json = async <T,>(...args: string[]): Promise<T> => JSON.parse((await ok(...args, '--json')).stdout) as T;
  const current = () => Number(/^p-(\d+)-link$/.exec(readlinkSync(profile))?.[1]);
  const nixEnv = (...args: string[]) => execFileSync('nix-env', ['--store', flakes.target.cliStoreUri, ...args], { env: flakes.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(() => {
    flakes = makeFlakeWorld();
    for (const name of ['alpha', 'beta', 'gamma', 'delta']) {
      const source = join(flakes.dir, 'sources', name);
      mkdirSync(join(source, 'bin'), { recursive: true });
      writeFileSync(join(source, 'bin', name), `#!/bin/sh\necho ${name}\n`, { mode: 0o755 });
      paths[name] = execFileSync('nix-store', ['--store', flakes.target.cliStoreUri, '--add', source], { env: flakes.env, encoding: 'utf8' }).trim();
    }
    flake = flakes.writeFlake('pkgs', { hello: { drvName: 'hello-1.0', text: 'one' } });
    mkdirSync(join(flakes.dir, 'profiles'));
    profile = join(flakes.dir, 'profiles', 'p');
  });
  afterAll(() => flakes?.cleanup());

  it('refuses to write over a profile Nix made, and takes it over in place with its whole history, copying nothing', async () => {
    flakes.nix(['profile', 'install', '--profile', profile, paths.alpha as string]);
    flakes.nix(['profile', 'install', '--profile', profile, paths.beta as string]);
    nixEnv('-p', profile, '--rollback');
    const before = generationLinks(profile);
    const refused = await genledger('--json', '-p', profile, 'profile', 'install', paths.gamma as string);
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stderr).error.code).toBe('GENLEDGER_UNKNOWN_GENERATION_LINK');
    const imported = await json<{ profile: string; generation: number; generations: number[]; copied: string[] }>('import-nix', profile);
    expect(imported).toMatchObject({ profile: `path:${profile}`, generation: 1, generations: [1, 2], copied: [] });
    expect(generationLinks(profile)).toEqual(before);
    expect(readlinkSync(profile)).toBe('p-1-link');
    expect((await ok('verify')).stdout).toContain(': ok');
  });

  it('continues with the next generation number, and nix profile list reads what it made', async () => {
    await ok('-p', profile, 'profile', 'install', paths.delta as string);
    expect(current()).toBe(3);
    const listed = flakes.nix(['profile', 'list', '--profile', profile]);
    expect(listed).toContain(paths.alpha);
    expect(listed).toContain(paths.delta);
  });

  it('sees nix profile install and nix-env --rollback as drift, refuses to go over them, and goes on after adopt', async () => {
    flakes.nix(['profile', 'install', '--profile', profile, paths.beta as string]);
    expect(current()).toBe(4);
    const refused = await genledger('--json', '-p', profile, 'profile', 'install', paths.gamma as string);
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stderr).error.code).toBe('GENLEDGER_PROFILE_DRIFT');
    expect(current()).toBe(4);
    const verified = await genledger('--json', 'verify');
    expect(verified.status).toBe(4);
    expect((JSON.parse(verified.stdout) as { problems: Array<{ kind: string }> }).problems.map((problem) => problem.kind)).toEqual(['drift', 'drift']);
    const adopted = await json<{ drift: { generations: Array<{ generation: number; kind: string }> }; generation: number }>('-p', profile, 'adopt');
    expect(adopted.drift.generations).toEqual([expect.objectContaining({ generation: 4, kind: 'appeared' })]);
    expect(adopted.generation).toBe(4);
    await ok('-p', profile, 'profile', 'install', paths.gamma as string);
    expect(current()).toBe(5);

    nixEnv('-p', profile, '--rollback');
    expect(current()).toBe(4);
    expect((await genledger('verify')).status).toBe(4);
    expect((await json<{ generation: number }>('-p', profile, 'adopt')).generation).toBe(4);
    expect((await ok('verify')).stdout).toContain(': ok');
    const generations = await json<{ generations: Array<{ generation: number; current: boolean }> }>('-p', profile, 'profile', 'list-generations');
    expect(generations.generations.map((g) => g.generation)).toEqual([1, 2, 3, 4, 5]);
    expect(generations.generations.find((g) => g.current)?.generation).toBe(4);
  });

  it('lets nix profile upgrade and remove change generations it made, and records them on adopt', async () => {
    await ok('-p', profile, 'profile', 'install', `path:${flake}#hello`);
    expect(current()).toBe(6);
    const oldHello = (await json<{ elements: Array<{ name: string; storePaths: string[] }> }>('-p', profile, 'profile', 'list')).elements.find((e) => e.name === 'hello')?.storePaths;
    flakes.writeFlake('pkgs', { hello: { drvName: 'hello-1.0', text: 'two' } });
    flakes.nix(['profile', 'upgrade', '--profile', profile, '.*']);
    expect(current()).toBe(7);
    flakes.nix(['profile', 'remove', '--profile', profile, paths.beta as string]);
    expect(current()).toBe(8);
    const adopted = await json<{ drift: { generations: Array<{ generation: number; kind: string }> }; generation: number }>('-p', profile, 'adopt');
    expect(adopted.drift.generations.map((g) => [g.generation, g.kind])).toEqual([
      [7, 'appeared'],
      [8, 'appeared'],
    ]);
    const listed = await json<{ generation: number; elements: Array<{ name: string; storePaths: string[] }> }>('-p', profile, 'profile', 'list');
    expect(listed.generation).toBe(8);
    const hello = listed.elements.find((e) => e.name === 'hello')?.storePaths;
    expect(hello).toBeDefined();
    expect(hello).not.toEqual(oldHello);
    expect(readFileSync(join(hello?.[0] as string, 'bin', 'hello'), 'utf8')).toContain('two');
    expect(listed.elements.map((e) => e.storePaths[0])).not.toContain(paths.beta);
    await ok('-p', profile, 'profile', 'remove', 'hello');
    expect(current()).toBe(9);
    expect((await ok('verify')).stdout).toContain(': ok');
    const roots = execFileSync('nix-store', ['--store', flakes.target.cliStoreUri, '--gc', '--print-roots'], { env: flakes.env, encoding: 'utf8' });
    for (const [n, [target]] of Object.entries(generationLinks(profile))) expect(roots).toContain(`${profile}-${n}-link -> ${target}`);
  });
});
