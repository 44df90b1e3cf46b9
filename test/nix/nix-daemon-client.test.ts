/**
 * NixDaemonClient against real Nix 2.8, on two stores the test owns: a
 * chroot store opened by a `nix-daemon --stdio` the client starts (as root,
 * trusted), and a real `nix-daemon` serving a store in a temp dir (the
 * multi-user case: a non-trusted user adds content-addressed paths).
 * What the client says is compared with what Nix's own commands say.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderContentAddress } from '../../src/store/content-address.js';
import { Hash } from '../../src/store/hash.js';
import type { NarNode } from '../../src/store/nar-node.js';
import { narBytesOfTree, narHashOfTree } from '../../src/store/nar-tree.js';
import { NixDaemonClient } from '../../src/store/nix/nix-daemon-client.js';
import type { NixPathInfoToAdd } from '../../src/store/nix/nix-daemon-client.js';
import type { NixStoreTarget } from '../../src/store/nix/nix-store-target.js';
import { resolveNixStoreTarget } from '../../src/store/nix/nix-store-uri.js';
import { StoreDir } from '../../src/store/store-path.js';
import type { TestDaemon } from './nix-fixtures.js';
import {
  addToNixStore,
  buildDerivation,
  cleanEnv,
  instantiateDerivation,
  isRoot,
  makeChrootStore,
  nixAvailable,
  nixCli,
  sandboxNixConfig,
  startNixDaemon,
  testUser,
} from './nix-fixtures.js';

if (nixAvailable && !isRoot) console.warn('nix: not root; skipping the tests that need a chroot store or a daemon of their own');
const runnable = nixAvailable && isRoot;

let dir: string;
let daemon: TestDaemon;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'genledger-nix-client-'));
  chmodSync(dir, 0o755);
  if (runnable) daemon = await startNixDaemon(join(dir, 'daemon'));
});
afterAll(async () => {
  await daemon?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
/** A new source tree on disk (distinct contents each call). */
function sourceTree(): string {
  const root = join(dir, 'src', `tree-${++counter}`);
  mkdirSync(join(root, 'bin'), { recursive: true });
  writeFileSync(join(root, 'bin', 'tool'), `#!/bin/sh\necho ${counter}\n`, { mode: 0o755 });
  writeFileSync(join(root, 'README'), `tree ${counter}\n`);
  return root;
}

function oldStyle(command: string, target: NixStoreTarget, args: readonly string[]): string {
  return execFileSync(command, ['--store', target.cliStoreUri, '--option', 'substituters', '', ...args], { env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '').sort();

/** A tree built in memory, added content-addressed: the path and path info genledger's own code computes. */
function caTree(storeDir: string, text: string): { info: NixPathInfoToAdd; nar: Buffer } {
  const tree: NarNode = {
    type: 'directory',
    entries: new Map<string, NarNode>([
      ['hello', { type: 'regular', executable: true, contents: Buffer.from(`#!/bin/sh\necho ${text}\n`) }],
      ['link', { type: 'symlink', target: 'hello' }],
    ]),
  };
  const digest = narHashOfTree(tree);
  const path = new StoreDir(storeDir).makeFixedOutputPath('recursive', digest.narHash, `ca-${text}`);
  const info = {
    path,
    deriver: null,
    narHash: digest.narHash.toHex(),
    references: [],
    registrationTime: 0,
    narSize: digest.narSize,
    signatures: [],
    ca: renderContentAddress({ method: 'recursive', hash: digest.narHash }),
  };
  return { info, nar: narBytesOfTree(tree) };
}

const stores: Array<[string, () => NixStoreTarget]> = [
  ['a chroot store through nix-daemon --stdio', () => resolveNixStoreTarget(makeChrootStore(join(dir, 'chroot')), {})],
  ['a nix-daemon on a store the test owns', () => resolveNixStoreTarget(daemon.uri, {})],
];

describe.skipIf(!runnable).each(stores)('NixDaemonClient on %s', (_name, makeTarget) => {
  let target: NixStoreTarget;
  beforeAll(() => {
    target = makeTarget();
  });

  it('completes the handshake and names the daemon Nix version', async () => {
    const client = await NixDaemonClient.connect(target);
    expect(client.daemonNixVersion).toMatch(/^2\.\d+/);
    await client.close();
  });

  it('answers queryPathInfo as nix path-info --json does for a path nix-store --add made', async () => {
    const path = addToNixStore(target.cliStoreUri, sourceTree());
    const client = await NixDaemonClient.connect(target);
    const info = await client.queryPathInfo(path);
    const valid = await client.queryValidPaths([path, `${target.storeDir}/${'0'.repeat(32)}-absent`]);
    const missing = await client.queryPathInfo(`${target.storeDir}/${'0'.repeat(32)}-absent`);
    await client.close();
    const [nix] = JSON.parse(nixCli(['path-info', '--json', '--store', target.cliStoreUri, path])) as Array<Record<string, unknown>>;
    expect(info).not.toBeNull();
    expect({
      path: info?.path,
      narHash: Hash.parse(info?.narHash as string, 'sha256').toSRI(),
      narSize: info?.narSize,
      references: info?.references,
      ca: info?.ca,
      registrationTime: info?.registrationTime,
    }).toEqual({ path: nix?.path, narHash: nix?.narHash, narSize: nix?.narSize, references: nix?.references, ca: nix?.ca, registrationTime: nix?.registrationTime });
    expect(valid).toEqual([path]);
    expect(missing).toBeNull();
  });

  it('adds a content-addressed tree made by genledger that nix-store --verify-path accepts', async () => {
    const { info, nar } = caTree(target.storeDir, `root-${target.transport.kind}`);
    const client = await NixDaemonClient.connect(target);
    await client.addToStoreNar(info, nar);
    const added = await client.queryPathInfo(info.path);
    await client.close();
    expect(added).toMatchObject({ narHash: info.narHash, narSize: info.narSize, ca: info.ca, references: [] });
    expect(() => oldStyle('nix-store', target, ['--verify-path', info.path])).not.toThrow();
  });

  it('registers an indirect root that nix-store --gc --print-roots lists', async () => {
    const path = addToNixStore(target.cliStoreUri, sourceTree());
    const link = join(dir, `links-${target.transport.kind}`, 'result');
    mkdirSync(join(link, '..'), { recursive: true });
    symlinkSync(path, link);
    const client = await NixDaemonClient.connect(target);
    await client.addIndirectRoot(link);
    const roots = await client.findRoots();
    await client.close();
    expect(oldStyle('nix-store', target, ['--gc', '--print-roots'])).toContain(`${link} -> ${path}`);
    expect(roots).toContainEqual({ link, target: path });
    expect(oldStyle('nix-store', target, ['--gc', '--print-dead'])).not.toContain(path);
  });

  it('protects a path with a temporary root from nix-store --gc while connected, not after close', async () => {
    const path = addToNixStore(target.cliStoreUri, sourceTree());
    const client = await NixDaemonClient.connect(target);
    await client.addTempRoot(path);
    oldStyle('nix-store', target, ['--gc']);
    expect(await client.isValidPath(path)).toBe(true);
    await client.close();
    oldStyle('nix-store', target, ['--gc']);
    const after = await NixDaemonClient.connect(target);
    expect(await after.isValidPath(path)).toBe(false);
    await after.close();
  });

  it('collects garbage as nix-store --gc does: returnDead lists --print-dead, deleteDead deletes it and counts the bytes', async () => {
    const paths = [addToNixStore(target.cliStoreUri, sourceTree()), addToNixStore(target.cliStoreUri, sourceTree())];
    const client = await NixDaemonClient.connect(target);
    const dead = await client.collectGarbage({ action: 'returnDead' });
    expect([...dead.paths].sort()).toEqual(lines(oldStyle('nix-store', target, ['--gc', '--print-dead'])));
    expect(dead.paths).toEqual(expect.arrayContaining(paths));
    expect(dead.bytesFreed).toBe(0n);
    const deleted = await client.collectGarbage({ action: 'deleteDead' });
    expect(deleted.paths).toEqual(expect.arrayContaining(paths));
    expect(deleted.bytesFreed).toBeGreaterThan(0n);
    expect(await client.queryValidPaths(paths)).toEqual([]);
    expect(lines(oldStyle('nix-store', target, ['--gc', '--print-dead']))).toEqual([]);
    await client.close();
  });

  it('sees what nix build made: the output, its deriver, and its runtime reference both ways', async () => {
    const dependency = addToNixStore(target.cliStoreUri, sourceTree());
    const out = buildDerivation(target.cliStoreUri, join(dir, `nix-${target.transport.kind}`), { name: `tiny-${target.transport.kind}`, reference: dependency });
    const client = await NixDaemonClient.connect(target);
    const info = await client.queryPathInfo(out);
    const referrers = await client.queryReferrers(dependency);
    await client.close();
    expect(info?.references).toEqual([dependency]);
    expect(info?.deriver).toMatch(/\.drv$/);
    expect(info?.ca).toBeNull();
    expect(referrers).toContain(out);
  });

  it('builds an instantiated derivation with buildPaths, and ensurePath accepts a valid path and refuses a missing one', async () => {
    const drv = instantiateDerivation(target.cliStoreUri, join(dir, `drv-${target.transport.kind}`), { name: `built-${target.transport.kind}` });
    const client = await NixDaemonClient.connect(target, { env: { ...process.env, NIX_CONFIG: sandboxNixConfig } });
    await client.buildPaths([`${drv}!out`]);
    const out = oldStyle('nix-store', target, ['-q', '--outputs', drv]).trim();
    expect(await client.isValidPath(out)).toBe(true);
    await client.ensurePath(out);
    await expect(client.ensurePath(`${target.storeDir}/${'1'.repeat(32)}-missing`)).rejects.toMatchObject({ code: 'GENLEDGER_NIX_DAEMON' });
    await client.close();
  });

  it('passes the daemon log lines to onLog', async () => {
    const logs: string[] = [];
    const client = await NixDaemonClient.connect(target, { onLog: (line) => logs.push(line) });
    await client.collectGarbage({ action: 'returnDead' });
    await client.close();
    expect(logs).toContain('finding garbage collector roots...');
  });
});

describe.skipIf(!runnable)('NixDaemonClient for a non-trusted user of a nix-daemon', () => {
  const user = runnable ? testUser() : null;
  let script: string;
  beforeAll(() => {
    script = join(dir, 'as-user-client.mjs');
    buildSync({ entryPoints: [join(__dirname, 'as-user-client.ts')], bundle: true, platform: 'node', format: 'esm', outfile: script, logLevel: 'silent' });
    chmodSync(script, 0o644);
  });

  /** Runs the client as the test user; one JSON result per item. */
  function asUser(uri: string, items: Array<{ info: NixPathInfoToAdd; nar: Buffer }>): Promise<Array<Record<string, unknown>>> {
    const work = mkdtempSync(join(dir, 'user-'));
    chmodSync(work, 0o755);
    const listed = items.map((item, index) => {
      const narFile = join(work, `${index}.nar`);
      writeFileSync(narFile, item.nar, { mode: 0o644 });
      return { info: item.info, narFile };
    });
    const itemsFile = join(work, 'items.json');
    writeFileSync(itemsFile, JSON.stringify(listed), { mode: 0o644 });
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [script, uri, itemsFile], { uid: user?.uid, gid: user?.gid, cwd: work, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => void (out += text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => void (err += text));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('close', (status) => {
        clearTimeout(timer);
        if (status !== 0) reject(new Error(`as-user client failed (${status}): ${err}`));
        else resolve(out.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>));
      });
    });
  }

  it.skipIf(user === null)('adds a content-addressed path without a signature, and is refused an input-addressed one with a one-line message', async () => {
    const ca = caTree(daemon.storeDir, 'user');
    const plain = caTree(daemon.storeDir, 'user-unsigned');
    const inputAddressed = {
      info: { ...plain.info, ca: null, path: new StoreDir(daemon.storeDir).makeStorePath('output:out', '1'.repeat(64), 'unsigned') },
      nar: plain.nar,
    };
    const results = await asUser(daemon.uri, [inputAddressed, ca]);
    expect(results[0]).toMatchObject({ code: 'GENLEDGER_NIX_DAEMON' });
    expect(results[0]?.message).toMatch(/^nix-daemon: .*lacks a valid signature/);
    expect(results[0]?.message).not.toContain('\n');
    expect(results[1]).toEqual({ ok: true });
    const env = daemon.env;
    expect(() => execFileSync('nix-store', ['--verify-path', ca.info.path], { env, stdio: 'ignore' })).not.toThrow();
    expect(execFileSync('nix-store', ['-q', '--hash', ca.info.path], { env, encoding: 'utf8' }).trim()).toBe(`sha256:${Hash.parse(ca.info.narHash, 'sha256').toNix32()}`);
  });

  it.skipIf(user === null)('as a non-root user, nix-daemon --stdio on a root-owned chroot store fails with Nix\'s own message', async () => {
    const root = join(dir, 'chroot-owned');
    addToNixStore(makeChrootStore(root), sourceTree());
    const [result] = await asUser(`local?root=${root}`, []);
    expect(result).toMatchObject({ code: 'GENLEDGER_NIX_DAEMON' });
    expect(result?.message).toMatch(/^nix-daemon: .*(Permission denied|permission)/i);
  });
});
