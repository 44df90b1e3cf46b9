/**
 * `gc --print-roots/--print-live/--print-dead` against `nix-store --gc`
 * itself, on the same local Nix store the test owns
 * (`nix:local?store=DIR/store&state=…`, as in nix-backend.compat.test.ts;
 * the real /nix/store is never touched). Runtime roots (`/proc/…`) belong
 * to whichever process asks, so roots are compared under the test's own
 * directory. Skipped, saying why, without Nix or root.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestHome } from '../integration/test-world.js';
import type { TestHome } from '../integration/test-world.js';

const skipReason = spawnSync('nix-store', ['--version']).status !== 0 ? 'nix-store is not installed' : process.getuid?.() !== 0 ? 'a local Nix store needs root' : null;
if (skipReason !== null) console.warn(`skipping the gc insight compat tests: ${skipReason}`);

describe.skipIf(skipReason !== null)('gc --print-* against nix-store --gc on the same Nix store', () => {
  let dir: string;
  let uri: string;
  let home: TestHome;
  const env = { ...process.env, NIX_REMOTE: '' };
  const nixStore = (...args: string[]) => execFileSync('nix-store', ['--store', uri, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const run = (...args: string[]) => home.run('--store', `nix:${uri}`, '-p', join(dir, 'profiles', 'profile'), ...args);
  const add = (name: string) => {
    const source = join(dir, 'src', name);
    mkdirSync(source, { recursive: true });
    writeFileSync(join(source, name), name);
    return nixStore('--add', source).trim();
  };
  const under = (text: string) => text.split('\n').filter((line) => line.startsWith(dir));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'genledger-gc-insight-'));
    uri = `local?store=${dir}/store&state=${dir}/state&log=${dir}/log`;
    mkdirSync(join(dir, 'profiles'));
    home = makeTestHome();
    const [first, second] = [add('first-1.0'), add('second-1.0')];
    add('garbage-1.0');
    expect((await run('profile', 'install', first)).code).toBe(0);
    expect((await run('profile', 'install', second)).code).toBe(0);
  });

  afterAll(() => {
    home?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints the roots nix-store --gc --print-roots prints, line for line', async () => {
    const ours = await run('gc', '--print-roots');
    expect(ours.code).toBe(0);
    const theirs = under(nixStore('--gc', '--print-roots'));
    expect(theirs.length).toBeGreaterThanOrEqual(2);
    expect(under(ours.stdout)).toEqual(theirs);
  });

  it('prints the live and dead paths nix-store --gc --print-live/--print-dead print, in the same order', async () => {
    const live = await run('gc', '--print-live');
    expect(live.stdout).toBe(nixStore('--gc', '--print-live'));
    const dead = await run('gc', '--print-dead');
    expect(dead.stdout).toBe(nixStore('--gc', '--print-dead'));
    expect(dead.stdout).toContain('garbage-1.0');
  });
});
