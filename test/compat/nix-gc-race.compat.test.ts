/**
 * genledger and Nix's collector on one real Nix store at the same time
 * (Nix 2.8, a local store the test owns, `local?store=DIR/store&state=…`):
 * a bounded loop where one process installs (a directory, added to the
 * store by the same command), removes and deletes old generations while
 * another runs `nix-store --gc` on the store, which has fresh garbage every
 * round. The temporary roots genledger holds on its connection must keep
 * everything a new generation needs: afterwards every live generation's
 * closure is valid in Nix and `verify` is clean. Skipped, saying why,
 * without Nix or root.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../reliability/cli-runners.js';
import type { Spawned } from '../reliability/cli-runners.js';

const skipReason = spawnSync('nix-store', ['--version']).status !== 0 ? 'nix-store is not installed' : process.getuid?.() !== 0 ? 'a local Nix store needs root' : null;
if (skipReason !== null) console.warn(`skipping the genledger/nix-store --gc race tests: ${skipReason}`);

const ROUNDS = 15;

function writePackage(dir: string, name: string): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  writeFileSync(join(root, 'bin', name), `#!/bin/sh\necho ${name}\n`, { mode: 0o755 });
  return root;
}

/** Runs a command to its end without waiting for it here, so it overlaps with whatever the caller starts next. */
function started(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => void (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => void (stderr += text));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

describe.skipIf(skipReason !== null)('genledger profile changes racing nix-store --gc on the same store', () => {
  let dir: string;
  let uri: string;
  let home: string;
  let profile: string;
  const env = { ...process.env, NIX_REMOTE: '' };
  const nixStore = (...args: string[]) => execFileSync('nix-store', ['--store', uri, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const genledger = (...args: string[]) => spawnCli(home, ['--store', `nix:${uri}`, '-p', profile, ...args], { env: { NIX_REMOTE: '' }, timeoutMs: 120_000 });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'genledger-gc-race-'));
    uri = `local?store=${dir}/store&state=${dir}/state&log=${dir}/log`;
    home = join(dir, 'home');
    mkdirSync(join(dir, 'profiles'));
    profile = join(dir, 'profiles', 'p');
    nixStore('--add', writePackage(dir, 'base'));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps every live generation's closure valid through ${ROUNDS} rounds of install, remove and delete-generations against a concurrent collection`, { timeout: 300_000 }, async () => {
    const collected: string[] = [];
    let collectionsRun = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const garbage = nixStore('--add', writePackage(join(dir, 'garbage'), `junk${round}`));
      const source = writePackage(join(dir, 'sources'), `pkg${round}`);
      let changing = true;
      const changes = (async () => {
        const results = [await genledger('profile', 'install', source)];
        if (round > 1) results.push(await genledger('profile', 'remove', `pkg${round - 1}`));
        if (round % 3 === 0) results.push(await genledger('profile', 'delete-generations', 'old'));
        changing = false;
        return results;
      })();
      // Collections one after another for as long as genledger works, so one overlaps each step of it.
      const collecting = (async () => {
        const results: Spawned[] = [];
        do results.push(await started('nix-store', ['--store', uri, '--gc'], env));
        while (changing);
        return results;
      })();
      const [results, gcResults] = await Promise.all([changes, collecting]);
      for (const [index, result] of [...results, ...gcResults].entries()) expect(result.status, `step ${index} of round ${round}: ${result.stderr}`).toBe(0);
      collectionsRun += gcResults.length;
      if (spawnSync('nix-store', ['--store', uri, '--check-validity', garbage], { env }).status !== 0) collected.push(garbage);
    }
    // The race had something to take: Nix deleted garbage while genledger worked.
    expect(collected.length).toBeGreaterThan(0);
    expect(collectionsRun).toBeGreaterThan(ROUNDS);
    const links = readdirSync(join(dir, 'profiles')).filter((name) => /^p-\d+-link$/.test(name));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      const target = readlinkSync(join(dir, 'profiles', link));
      const closure = nixStore('-qR', target).split('\n');
      expect(nixStore('--check-validity', ...closure)).toBe('');
      for (const path of closure) expect(existsSync(path), path).toBe(true);
    }
    const current = readlinkSync(join(dir, 'profiles', readlinkSync(profile)));
    expect(nixStore('-qR', current)).toContain(`-pkg${ROUNDS}`);
    const verified = await genledger('verify');
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);
    // One more collection now that nothing races it: the live closures stay.
    nixStore('--gc');
    for (const link of links) expect(nixStore('--check-validity', ...nixStore('-qR', readlinkSync(join(dir, 'profiles', link))).split('\n'))).toBe('');
  });
});
