/**
 * Real Nix 2.8 reads the binary cache inside a bundle: `nix copy --from
 * file://BUNDLE/cache` brings every exported path into a chroot store with
 * the NAR hashes and references genledger recorded, unsigned with
 * --no-check-sigs and, when the export was signed, with only the exporting
 * key trusted, keeping the signatures. (Profile and package paths are
 * content-addressed, which Nix trusts without signatures; that Nix accepts
 * genledger's signatures themselves is shown on an input-addressed path in
 * binary-cache.compat.test.ts.) Skipped, with the reason printed, when nix
 * is missing.
 */
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog, jsonOf, makeStoreHome } from '../integration/bundle-fixtures.js';
import type { StoreHome } from '../integration/bundle-fixtures.js';

const haveNix = spawnSync('nix', ['--version'], { stdio: 'ignore' }).status === 0;
if (!haveNix) console.warn('compat: nix not found; skipping the check that real Nix reads bundle caches');

interface NixPathInfo {
  path: string;
  narHash: string;
  narSize: number;
  references: string[];
}

describe.skipIf(!haveNix)('bundle caches read by real Nix 2.8', () => {
  let temp: string;
  let home: StoreHome;
  let signed: string;
  let unsigned: string;
  let publicKey: string;
  let paths: string[];

  /** Runs Nix on chroot stores only: no daemon, and a private narinfo cache. */
  const nix = (args: string[]): SpawnSyncReturns<string> =>
    spawnSync('nix', ['--extra-experimental-features', 'nix-command', ...args], {
      env: { ...process.env, NIX_REMOTE: 'local', XDG_CACHE_HOME: join(temp, 'xdg-cache') },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  const nixOk = (args: string[]): string => {
    const result = nix(args);
    if (result.status !== 0) throw new Error(`nix ${args.join(' ')} failed:\n${result.stderr}`);
    return result.stdout;
  };

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'genledger-bundle-compat-'));
    home = makeStoreHome({ start: '2026-01-10T08:00:00Z', actor: { user: 'alice', uid: 1000, host: 'host-a' } });
    await home.ok('key', 'generate', 'host-a-1', '--dir', join(temp, 'keys'));
    publicKey = readFileSync(join(temp, 'keys', 'host-a-1.pub'), 'utf8');
    await home.ok('profile', 'install', `${catalog}#hello`, `${catalog}#greet`);
    await home.ok('profile', 'install', `${catalog}#figlet-lite`);
    signed = join(temp, 'signed');
    unsigned = join(temp, 'unsigned');
    await home.ok('export', '--to', signed, '--with-store', '--sign-key', join(temp, 'keys', 'host-a-1.sec'));
    await home.ok('export', '--to', unsigned, '--with-store');
    paths = JSON.parse(readFileSync(join(signed, 'bundle.json'), 'utf8')).store.paths;
  });

  afterAll(() => {
    home?.cleanup();
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
  });

  const expectSameInfos = async (chroot: string) => {
    const theirs = new Map((JSON.parse(nixOk(['path-info', '--store', chroot, '--json', ...paths])) as NixPathInfo[]).map((info) => [info.path, info]));
    const ours = jsonOf<NixPathInfo[]>(await home.ok('store', 'info', ...paths, '--json'));
    expect(ours).toHaveLength(paths.length);
    for (const info of ours) expect(theirs.get(info.path)).toMatchObject({ narHash: info.narHash, narSize: info.narSize, references: info.references });
  };

  it('covers both profile generations and their packages', () => {
    expect(paths.filter((path) => path.endsWith('-profile'))).toHaveLength(2);
    expect(paths.filter((path) => !path.endsWith('-profile'))).toHaveLength(3);
  });

  it('is copied by nix copy --no-check-sigs when unsigned', async () => {
    const chroot = join(temp, 'nix-unsigned');
    nixOk(['copy', '--from', `file://${join(unsigned, 'cache')}`, '--to', chroot, '--no-check-sigs', ...paths]);
    await expectSameInfos(chroot);
  });

  it('is copied by nix copy with only the exporting key trusted when signed, signatures kept', async () => {
    const narInfos = readdirSync(join(signed, 'cache')).filter((name) => name.endsWith('.narinfo'));
    expect(narInfos).toHaveLength(paths.length);
    for (const name of narInfos) expect(readFileSync(join(signed, 'cache', name), 'utf8')).toMatch(/^Sig: host-a-1:/m);
    const chroot = join(temp, 'nix-signed');
    nixOk(['copy', '--from', `file://${join(signed, 'cache')}`, '--to', chroot, '--option', 'trusted-public-keys', publicKey, ...paths]);
    await expectSameInfos(chroot);
    const copied = JSON.parse(nixOk(['path-info', '--store', chroot, '--json', '--sigs', ...paths])) as Array<{ signatures?: string[] }>;
    for (const info of copied) expect(info.signatures?.some((sig) => sig.startsWith('host-a-1:'))).toBe(true);
  });
});
