/**
 * Real Nix as the oracle for the store codecs: random trees added with
 * `nix-store --add` to a throw-away chroot store must get the store path
 * genledger computes, `nix-store --dump` must give genledger's NAR bytes,
 * and genledger's parser must accept Nix's NARs. Skipped, with the reason
 * printed, when nix-store is not installed.
 */

import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NarNode } from '../../src/store/nar-node.js';
import { validateNar } from '../../src/store/nar-parser.js';
import { hashPath, narBytesOfPath } from '../../src/store/nar-writer.js';
import { StoreDir } from '../../src/store/store-path.js';
import { FIXTURES, makeTempDir, randomTree, regular, seededRandom, symlink, writeTree } from '../unit/store/helpers.js';

function nixStoreAvailable(): boolean {
  return spawnSync('nix-store', ['--version'], { stdio: 'ignore' }).status === 0;
}

const haveNix = nixStoreAvailable();
if (!haveNix) console.warn('compat: nix-store not found; skipping real-Nix comparison');

/** The environment for a local (daemon-less) chroot store. */
function nixEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NIX_REMOTE;
  return env;
}

function nixStore(args: string[]): string {
  return execFileSync('nix-store', args, { env: nixEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** `nix-store --dump`, asynchronously, so the runs overlap their start-up. */
async function nixDump(path: string): Promise<Buffer> {
  const { stdout } = await promisify(execFile)('nix-store', ['--dump', path], {
    env: nixEnv(),
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** Thirty seeded random objects: mostly directories, some top-level files and symlinks. */
function randomObjects(): Map<string, NarNode> {
  const random = seededRandom(20260822);
  const objects = new Map<string, NarNode>();
  for (let i = 0; i < 30; i++) {
    const name = `t${i}-${['x', 'Pkg_1.0', 'a+b', 'q?=z', '.dot'][i % 5]}`;
    if (i % 10 === 3) objects.set(name, regular(Buffer.alloc(i % 4 === 0 ? 0 : 7 + (i % 3)), i % 2 === 0));
    else if (i % 10 === 7) objects.set(name, symlink(`../target-${i}`));
    else objects.set(name, randomTree(random));
  }
  return objects;
}

describe.skipIf(!haveNix)('compatibility with nix-store --add (real Nix)', () => {
  const store = new StoreDir('/nix/store');
  const objects = new Map([...Object.entries(FIXTURES), ...randomObjects()]);
  let temp: ReturnType<typeof makeTempDir>;
  let chroot = '';

  beforeAll(() => {
    temp = makeTempDir('compat-store-add');
    chroot = join(temp.path, 'chroot');
    for (const [name, node] of objects) writeTree(node, join(temp.path, name));
  });
  afterAll(() => temp.cleanup());

  it('gives the store path nix-store --add prints, for the spec fixtures and 30 random trees', () => {
    const names = [...objects.keys()];
    const printed = nixStore(['--store', chroot, '--add', ...names.map((name) => join(temp.path, name))]).trim().split('\n');
    const computed = names.map((name) => store.makeSourcePath(hashPath(join(temp.path, name)).narHash, [], false, name));
    expect(computed).toEqual(printed);
  });

  it('writes the bytes nix-store --dump writes, and parses the NARs Nix writes', async () => {
    // Each nix-store run costs ~0.1 s of CPU; the fixtures and a third of the random objects suffice here.
    const paths = [...objects.keys()].filter((_name, i) => i % 3 === 0 || i < 8).map((name) => join(temp.path, name));
    const dumps = await Promise.all(paths.map(nixDump));
    paths.forEach((path, i) => {
      const dumped = dumps[i] ?? Buffer.alloc(0);
      expect(narBytesOfPath(path).equals(dumped), path).toBe(true);
      expect(validateNar(dumped).narHash.equals(hashPath(path).narHash)).toBe(true);
    });
  });

  it("reports an illegal name with Nix 2.8's own message", () => {
    writeFileSync(join(temp.path, 'with space'), '');
    const result = spawnSync('nix-store', ['--store', chroot, '--add', join(temp.path, 'with space')], {
      env: nixEnv(),
      encoding: 'utf8',
    });
    const ours = (() => {
      try {
        store.makeSourcePath(hashPath(join(temp.path, 'with space')).narHash, [], false, 'with space');
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(ours).not.toBe('');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(ours);
  });
});
