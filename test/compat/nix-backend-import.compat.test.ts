/**
 * Reconstructing a profile on a machine with Nix: a bundle exported with
 * its store (a binary cache) from a home on the embedded store is imported
 * into a home on a real Nix store (`--store nix`). Every path the import
 * brings in is handed to Nix, which checks it and registers it: valid in
 * Nix's database with the hash Nix computes, and the profile's generations
 * are roots Nix honours. Skipped, saying why, without Nix or root.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestHome } from '../integration/test-world.js';
import type { TestHome } from '../integration/test-world.js';

const skipReason = spawnSync('nix-store', ['--version']).status !== 0 ? 'nix-store is not installed' : process.getuid?.() !== 0 ? 'a local Nix store needs root' : null;
if (skipReason !== null) console.warn(`skipping the import into a Nix store: ${skipReason}`);

describe.skipIf(skipReason !== null)('import of a bundle into a home on a real Nix store', () => {
  let dir: string;
  let uri: string;
  let source: TestHome;
  let target: TestHome;
  const nixStore = (...args: string[]) => spawnSync('nix-store', ['--store', uri, ...args], { env: { ...process.env, NIX_REMOTE: '' }, encoding: 'utf8' });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'genledger-nix-import-'));
    uri = `local?store=${dir}/store&state=${dir}/state&log=${dir}/log`;
    source = makeTestHome();
    target = makeTestHome();
  });

  afterAll(() => {
    source?.cleanup();
    target?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('hands every path to Nix, valid with the hash Nix computes, and roots the generations', async () => {
    const pkg = join(dir, 'tool-1.0');
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    writeFileSync(join(pkg, 'bin', 'tool'), '#!/bin/sh\necho tool\n');
    chmodSync(join(pkg, 'bin', 'tool'), 0o755);
    // The embedded store is named for the Nix store's directory, so both name the paths alike.
    const embedded = ['--store-dir', `${dir}/store`, '--store-root', join(dir, 'chroot')];
    expect((await source.run(...embedded, 'profile', 'install', pkg)).code).toBe(0);
    expect((await source.run('export', '--to', join(dir, 'bundle'), '--with-store')).code).toBe(0);

    // The stream keeps its name: the profile comes back as the home's own 'profile', rooted in Nix's gcroots.
    const profile = join(target.dir, 'home', 'profiles', 'profile');
    const imported = await target.run('--store', `nix:${uri}`, 'import', join(dir, 'bundle'), '--json');
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const generation = readlinkSync(`${profile}-1-link`);
    const closure = nixStore('-qR', generation);
    expect(closure.status).toBe(0);
    for (const path of closure.stdout.trim().split('\n')) expect(nixStore('--verify-path', path).status).toBe(0);
    expect(nixStore('--gc', '--print-roots').stdout).toContain(`${profile}-1-link -> ${generation}`);
    expect(JSON.parse((await target.run('store', 'info', '--json', generation)).stdout)).toEqual(JSON.parse(spawnSync('nix', ['--extra-experimental-features', 'nix-command', 'path-info', '--store', uri, '--json', generation], { encoding: 'utf8' }).stdout));
  });
});
