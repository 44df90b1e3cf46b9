import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

let home: TestHome;
let src: string;

beforeEach(() => {
  home = makeTestHome();
  src = mkdtempSync(join(tmpdir(), 'genledger-src-'));
  mkdirSync(join(src, 'pkg', 'bin'), { recursive: true });
  writeFileSync(join(src, 'pkg', 'bin', 'tool'), '#!/bin/sh\necho tool\n');
  chmodSync(join(src, 'pkg', 'bin', 'tool'), 0o755);
});

afterEach(() => {
  home.cleanup();
  rmSync(src, { recursive: true, force: true });
});

const storeDir = () => join(home.dir, 'home', 'store');

describe('store commands through the CLI', () => {
  it('adds a tree read-only with mtime 1 and prints its path in the embedded store', async () => {
    const result = await home.run('store', 'add', join(src, 'pkg'));
    expect(result.code).toBe(0);
    const path = result.stdout.trim();
    expect(path).toMatch(new RegExp(`^${storeDir()}/[0-9a-df-np-sv-z]{32}-pkg$`));
    const tool = statSync(join(path, 'bin', 'tool'));
    expect(tool.mode & 0o777).toBe(0o555);
    expect(tool.mtimeMs).toBe(1000);
    expect(statSync(path).mode & 0o777).toBe(0o555);
    expect((await home.run('store', 'add', join(src, 'pkg'))).stdout.trim()).toBe(path);
  });

  it('gives store info --json in the shape of nix path-info --json', async () => {
    const path = (await home.run('store', 'add', join(src, 'pkg'))).stdout.trim();
    const [info] = JSON.parse((await home.run('store', 'info', '--json', path)).stdout);
    expect(Object.keys(info)).toEqual(['path', 'narHash', 'narSize', 'references', 'ca', 'registrationTime']);
    expect(info.narHash).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
    expect(info.references).toEqual([]);
    expect(info.ca).toMatch(/^fixed:r:sha256:[0-9a-df-np-sv-z]{52}$/);
  });

  it('refuses an illegal name with exit 1 and leaves nothing in the store', async () => {
    const result = await home.run('store', 'add', '--name', 'with space', join(src, 'pkg'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("contains illegal character ' '");
    expect(existsSync(storeDir()) ? readdirSync(storeDir()) : []).toEqual([]);
  });

  it('refuses a missing source with exit 1 and no temporary entry left', async () => {
    await home.run('store', 'add', join(src, 'pkg'));
    const result = await home.run('store', 'add', join(src, 'nope'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^genledger: path '.*nope' does not exist\n$/);
    expect(readdirSync(storeDir()).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('reports a modified path with verify --contents and a deleted one with verify, exit 4', async () => {
    const path = (await home.run('store', 'add', join(src, 'pkg'))).stdout.trim();
    expect((await home.run('store', 'verify', '--contents')).code).toBe(0);
    chmodSync(join(path, 'bin'), 0o755);
    chmodSync(join(path, 'bin', 'tool'), 0o755);
    writeFileSync(join(path, 'bin', 'tool'), 'tampered');
    const corrupt = await home.run('store', 'verify', '--contents', '--json');
    expect(corrupt.code).toBe(4);
    expect(JSON.parse(corrupt.stdout).problems).toEqual([expect.objectContaining({ path, kind: 'corrupt' })]);
    rmSync(path, { recursive: true, force: true });
    const missing = await home.run('store', 'verify');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('missing from disk');
  });

  it('refuses a second store for a home that already recorded one', async () => {
    await home.run('store', 'add', join(src, 'pkg'));
    const result = await home.run('--store-dir', '/nix/store', '--store-root', join(src, 'root'), 'store', 'add', join(src, 'pkg'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('this home uses the store');
  });

  it('maps unknown options to exit 2', async () => {
    expect((await home.run('store', 'add', '--frobnicate', 'x')).code).toBe(2);
  });
});
