/**
 * `store info --json` and `store closure` against Nix: a seeded DAG of store
 * paths whose contents mention each other is added with
 * `store add --scan-references`, the same paths and records are loaded into
 * a chroot Nix store (`nix-store --load-db`), and `nix-store -qR` and
 * `nix path-info --json` must print what genledger prints.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestHome } from '../integration/test-world.js';
import type { TestHome } from '../integration/test-world.js';
import { seededRandom } from '../unit/store/helpers.js';

const haveNix = spawnSync('nix-store', ['--version'], { stdio: 'ignore' }).status === 0;
if (!haveNix) console.warn('compat: nix-store not found; skipping the comparison of store info and closure with real Nix');

const env = { ...process.env };
delete env.NIX_REMOTE;

interface Info {
  path: string;
  narHash: string;
  narSize: number;
  references: string[];
  registrationTime: number;
}

describe.skipIf(!haveNix)('store info and closure compared with Nix 2.8', () => {
  let dir: string;
  let home: TestHome;
  const paths: string[] = [];
  const infos = new Map<string, Info>();
  const ours = (...args: string[]) => home.run('--store-dir', '/nix/store', '--store-root', join(dir, 'ours'), ...args);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'genledger-closure-'));
    home = makeTestHome();
    const random = seededRandom(7);
    for (let i = 0; i < 12; i++) {
      const source = join(dir, 'src', `node${i}`);
      mkdirSync(join(source, 'sub'), { recursive: true });
      const mentions = paths.filter(() => random() < 0.3);
      writeFileSync(join(source, 'refs'), mentions.map((p) => `${p}/bin/x\n`).join(''));
      writeFileSync(join(source, 'sub', 'own'), `node ${i}\n`);
      const added = await ours('store', 'add', '--scan-references', source);
      expect(added.code).toBe(0);
      paths.push(added.stdout.trim());
    }
    for (const info of JSON.parse((await ours('store', 'info', '--json', ...paths)).stdout) as Info[]) infos.set(info.path, info);
    const theirs = join(dir, 'theirs');
    mkdirSync(join(theirs, 'nix'), { recursive: true });
    cpSync(join(dir, 'ours', 'nix', 'store'), join(theirs, 'nix', 'store'), { recursive: true });
    const registration = paths
      .map((path) => {
        const info = infos.get(path) as Info;
        const hex = Buffer.from(info.narHash.slice('sha256-'.length), 'base64').toString('hex');
        return [path, `sha256:${hex}`, String(info.narSize), '', String(info.references.length), ...info.references].join('\n');
      })
      .join('\n');
    execFileSync('nix-store', ['--store', theirs, '--load-db'], { env, input: `${registration}\n` });
  });

  afterAll(() => {
    home?.cleanup();
    if (dir) {
      execFileSync('chmod', ['-R', 'u+w', dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds references only to paths the contents mention, as the fingerprint records them', () => {
    expect([...infos.values()].some((info) => info.references.length > 1)).toBe(true);
  });

  it('prints each closure in the order of nix-store -qR', async () => {
    for (const path of paths) {
      const nix = execFileSync('nix-store', ['--store', join(dir, 'theirs'), '-qR', path], { env, encoding: 'utf8' });
      expect((await ours('store', 'closure', path)).stdout).toBe(nix);
    }
  });

  it('prints nix path-info --json fields for the same paths (registration times aside: --load-db stamps its own)', () => {
    const nix = JSON.parse(
      execFileSync('nix', ['--extra-experimental-features', 'nix-command', 'path-info', '--store', join(dir, 'theirs'), '--json', ...paths], { env, encoding: 'utf8' }),
    ) as Info[];
    for (const { registrationTime: _theirs, ...entry } of nix) {
      const { ca: _ca, registrationTime: _ours, ...mine } = infos.get(entry.path) as Info & { ca?: string };
      expect(mine).toEqual(entry);
    }
  });
});
