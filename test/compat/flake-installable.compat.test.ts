/**
 * Flake installables resolved by real Nix 2.8, compared with what `nix
 * profile install` and `nix profile upgrade` record for the same
 * references: the same originalUrl, locked url, attrPath and store paths,
 * the same manifest.json bytes once genledger renders them, one Nix call
 * for all the flakes of a command, and Nix's errors as one line.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGenledgerError } from '../../src/errors.js';
import type { GenledgerError } from '../../src/errors.js';
import { resolveFlakeInstallables } from '../../src/nix-cli/flake-installable.js';
import type { ResolvedFlakeElement } from '../../src/nix-cli/flake-installable.js';
import { isLockedFlakeRef } from '../../src/nix-cli/flake-ref.js';
import { runNixCommand } from '../../src/nix-cli/nix-command.js';
import { elementName } from '../../src/projection/element-name.js';
import { renderManifestV2_28 } from '../../src/projection/manifest-render.js';
import { makeFlakeWorld, nixForFlakes } from '../nix/flake-fixtures.js';
import type { FlakeWorld } from '../nix/flake-fixtures.js';

if (!nixForFlakes.available) console.warn(`compat: skipping flake installables against real Nix: ${nixForFlakes.reason}`);

async function rejection(promise: Promise<unknown>): Promise<GenledgerError> {
  try {
    await promise;
  } catch (error) {
    if (isGenledgerError(error)) return error;
    throw error;
  }
  throw new Error('expected a GenledgerError');
}

describe.skipIf(!nixForFlakes.available)('flake installables resolved by real Nix', () => {
  let world: FlakeWorld;
  let flake: string;

  /** What `nix profile install REFS…` records, read from a fresh Nix profile. */
  function nixManifest(name: string, references: readonly string[], cwd?: string): string {
    const profile = join(world.dir, 'nix-profiles', name);
    mkdirSync(join(world.dir, 'nix-profiles'), { recursive: true });
    world.nix(['profile', 'install', '--profile', profile, ...references], cwd);
    return readFileSync(join(readlinkSync(join(world.dir, 'nix-profiles', readlinkSync(profile))), 'manifest.json'), 'utf8');
  }

  function resolve(references: readonly string[], cwd = world.dir) {
    return resolveFlakeInstallables(world.target, references, { env: world.env, cwd });
  }

  function asManifestElements(elements: readonly ResolvedFlakeElement[]) {
    return elements.map(({ storePaths, ...source }) => ({ name: elementName({ storePaths, source }), active: true, priority: 5, storePaths, source }));
  }

  beforeAll(() => {
    world = makeFlakeWorld();
    flake = world.writeFlake('hello-flake', { hello: { drvName: 'hello-1.0', text: 'hello' }, greet: { drvName: 'greet-2.0', text: 'greetings' } });
    world.register('testflake', flake);
    execFileSync('git', ['init', '-q', join(world.dir, 'git-flake')]);
    world.writeFlake('git-flake', { tool: { drvName: 'tool-0.1', text: 'tool' } });
    execFileSync('git', ['-C', join(world.dir, 'git-flake'), 'add', 'flake.nix']);
    execFileSync('git', ['-C', join(world.dir, 'git-flake'), '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'flake']);
  });
  afterAll(() => world?.cleanup());

  it('records, for every syntax, exactly what nix profile install records, and renders its manifest.json bytes', async () => {
    const references = [`path:${flake}#hello`, `${flake}#greet`, './hello-flake#packages.' + world.system + '.hello', 'testflake#greet', `git+file://${join(world.dir, 'git-flake')}#tool`];
    const resolution = await resolve(references);
    try {
      const expected = nixManifest('all', references);
      expect(renderManifestV2_28(asManifestElements(resolution.elements))).toBe(expected);
      expect(resolution.elements.map((element) => element.attrPath)).toEqual([
        `packages.${world.system}.hello`,
        `packages.${world.system}.greet`,
        `packages.${world.system}.hello`,
        `packages.${world.system}.greet`,
        `packages.${world.system}.tool`,
      ]);
      expect(resolution.elements[0]?.originalUrl).toBe(`path:${flake}`);
      expect(resolution.elements[0]?.url).toMatch(new RegExp(`^path:${flake}\\?lastModified=\\d+&narHash=sha256-`));
      expect(resolution.elements[3]?.originalUrl).toBe('flake:testflake');
      expect(asManifestElements(resolution.elements).map((element) => element.name)).toEqual(['hello', 'greet', 'hello', 'greet', 'tool']);
    } finally {
      resolution.release();
    }
  });

  it('resolves .#attr against the working directory and a bare reference to the default package', async () => {
    const withDefault = world.writeFlake('default-flake', { hello: { drvName: 'hello-1.0', text: 'hello' } }, `defaultPackage.${world.system} = self.packages.${world.system}.hello;`);
    const references = ['.#hello', `path:${withDefault}`];
    const resolution = await resolve(references, withDefault);
    try {
      expect(renderManifestV2_28(asManifestElements(resolution.elements))).toBe(nixManifest('dot', references, withDefault));
      expect(resolution.elements.map((element) => element.attrPath)).toEqual([`packages.${world.system}.hello`, `defaultPackage.${world.system}`]);
      expect(asManifestElements(resolution.elements).map((element) => element.name)).toEqual(['hello', 'default-flake']);
    } finally {
      resolution.release();
    }
  });

  it('evaluates all the flakes of a command in one nix call', async () => {
    const bin = join(world.dir, 'counting-bin');
    mkdirSync(bin, { recursive: true });
    const log = join(world.dir, 'nix-calls.log');
    const realNix = execFileSync('sh', ['-c', 'command -v nix'], { encoding: 'utf8' }).trim();
    writeFileSync(join(bin, 'nix'), `#!/bin/sh\necho "$*" >> ${log}\nexec ${realNix} "$@"\n`);
    chmodSync(join(bin, 'nix'), 0o755);
    const resolution = await resolveFlakeInstallables(world.target, [`${flake}#hello`, `${flake}#greet`, 'testflake#hello'], { env: { ...world.env, PATH: `${bin}:${world.env.PATH ?? ''}` }, cwd: world.dir });
    resolution.release();
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('keeps the builds rooted until release, then leaves only garbage and a stale root Nix removes itself', async () => {
    const resolution = await resolve([`${flake}#hello`]);
    const [hello] = resolution.elements[0]?.storePaths ?? [];
    const temporary = readdirSync(join(world.target.stateDir, 'gcroots', 'auto')).map((name) => readlinkSync(join(world.target.stateDir, 'gcroots', 'auto', name)));
    const ours = temporary.filter((link) => link.includes('genledger-flake-'));
    expect(ours.length).toBeGreaterThan(0);
    expect(world.nix(['store', 'gc', '--dry-run'])).not.toContain(hello);
    resolution.release();
    for (const link of ours) expect(existsSync(link)).toBe(false);
    world.nix(['store', 'gc']);
    const left = readdirSync(join(world.target.stateDir, 'gcroots', 'auto')).map((name) => readlinkSync(join(world.target.stateDir, 'gcroots', 'auto', name)));
    expect(left.filter((link) => link.includes('genledger-flake-'))).toEqual([]);
  });

  it('reports an attribute the flake lacks as one line of Nix naming it', async () => {
    const error = await rejection(resolve([`${flake}#nosuch`]));
    expect(error.code).toBe('GENLEDGER_NIX_COMMAND');
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain("'nosuch'");
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain('\u001b');
  });

  it('reports a flake that fails to build as one line of Nix', async () => {
    const broken = world.writeFlake('broken-flake', { hello: { drvName: 'hello-1.0', text: 'hello' } });
    writeFileSync(join(broken, 'flake.nix'), readFileSync(join(broken, 'flake.nix'), 'utf8').replace('PATH=/bin:/usr/bin;', 'exit 3;'));
    const error = await rejection(resolve([`${broken}#hello`]));
    expect(error.code).toBe('GENLEDGER_NIX_COMMAND');
    expect(error.message).toMatch(/^nix profile install failed: builder for '.*hello-1\.0\.drv' failed with exit code 3/);
    expect(error.message).not.toContain('\n');
  });

  it('says when nix is not installed', async () => {
    const error = await rejection(runNixCommand(['--version'], { storeUri: world.target.cliStoreUri, env: { PATH: join(world.dir, 'no-such-bin') }, cwd: world.dir }));
    expect(error.code).toBe('GENLEDGER_NIX_NOT_FOUND');
  });

  it('re-resolves an unlocked reference after its source changed as nix profile upgrade does', async () => {
    const moving = world.writeFlake('moving-flake', { hello: { drvName: 'hello-1.0', text: 'one' } });
    const before = await resolve([`${moving}#hello`]);
    before.release();
    const nixProfile = join(world.dir, 'nix-profiles', 'upgrade');
    nixManifest('upgrade', [`${moving}#hello`]);
    world.writeFlake('moving-flake', { hello: { drvName: 'hello-1.1', text: 'two' } });
    const old = before.elements[0] as ResolvedFlakeElement;
    expect(isLockedFlakeRef(old.originalUrl)).toBe(false);
    expect(isLockedFlakeRef(old.url)).toBe(true);
    const after = await resolve([`${old.originalUrl}#${old.attrPath}`]);
    after.release();
    world.nix(['profile', 'upgrade', '--profile', nixProfile, '.*']);
    const upgraded = readFileSync(join(readlinkSync(join(world.dir, 'nix-profiles', readlinkSync(nixProfile))), 'manifest.json'), 'utf8');
    const fresh = after.elements[0] as ResolvedFlakeElement;
    expect(renderManifestV2_28(asManifestElements([fresh]))).toBe(upgraded);
    expect(fresh.attrPath).toBe(old.attrPath);
    expect(fresh.originalUrl).toBe(old.originalUrl);
    expect(fresh.url).not.toBe(old.url);
    expect(fresh.storePaths).not.toEqual(old.storePaths);
    expect(fresh.storePaths[0]).toMatch(/-hello-1\.1$/);
  });
});
