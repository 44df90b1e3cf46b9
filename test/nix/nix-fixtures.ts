/**
 * Real Nix stores the tests own, for the Nix backend's compatibility tests.
 * Nothing here touches the machine's /nix/store or its daemon.
 *
 * - `nixAvailable`: real Nix (nix-store, nix, nix-daemon) is installed; when
 *   not, a warning says why the Nix tests are skipped.
 * - `makeChrootStore(dir)`: a chroot store at DIR (paths named /nix/store,
 *   kept in DIR/nix/store), the store `nix --store DIR` uses; needs root.
 * - `startNixDaemon(dir)`: a real `nix-daemon`, as root, serving a store in
 *   DIR (paths named DIR/store, state in DIR/state) on DIR/daemon.socket,
 *   reachable by any local user (the socket is 0666 and Nix's default
 *   `allowed-users` is `*`; only root is trusted). `stop()` it in afterAll.
 * - `testUser()`: the non-root 'genledger-test' user (created as root).
 * - `addToNixStore`, `buildDerivation`: `nix-store --add`, and a real build
 *   of a `/bin/sh` derivation, on a store given by its URI.
 * - `nixCli`: runs `nix` (nix-command enabled) or an old-style command.
 *
 * Building, found out on Debian's Nix 2.8 (sandbox = false): on a chroot
 * store Nix forces its sandbox (the store is diverted), where /bin/sh does
 * not exist; `buildDerivation` passes `extra-sandbox-paths` with /bin, /usr,
 * /lib and /lib64, and then the build works, as root. On the daemon store
 * it builds unsandboxed, for any user (the daemon builds as root).
 * Substituters are switched off: the tests run without network.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

export const nixAvailable = (() => {
  for (const command of ['nix-store', 'nix', 'nix-daemon']) {
    try {
      execFileSync(command, ['--version'], { stdio: 'ignore' });
    } catch {
      console.warn(`nix: ${command} not found; skipping the tests against real Nix (apt-get install nix-bin)`);
      return false;
    }
  }
  return true;
})();

export const isRoot = process.getuid?.() === 0;

/** Options every Nix command of the tests gets: no network, no sandbox surprises from the machine's nix.conf. */
const OFFLINE = ['--option', 'substituters', ''];

export function makeChrootStore(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return `local?root=${dir}`;
}

export interface TestDaemon {
  readonly socket: string;
  /** The store directory paths are named for (DIR/store). */
  readonly storeDir: string;
  readonly stateDir: string;
  /** `unix://SOCKET?store=STOREDIR`: for `--store nix:URI` and `nix --store URI`. */
  readonly uri: string;
  /** Environment for `nix` clients of this daemon (NIX_REMOTE = uri). */
  readonly env: Record<string, string>;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts `nix-daemon` (root only) on a store in `dir` and waits until its socket accepts a connection. */
export async function startNixDaemon(dir: string): Promise<TestDaemon> {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const storeDir = join(dir, 'store');
  const stateDir = join(dir, 'state');
  const socket = join(dir, 'daemon.socket');
  const child = spawn('nix-daemon', [...OFFLINE], {
    env: {
      ...process.env,
      NIX_REMOTE: `local?store=${storeDir}&state=${stateDir}&log=${join(dir, 'log')}`,
      NIX_DAEMON_SOCKET_PATH: socket,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => void (stderr += text));
  const exited = new Promise<void>((done) => child.once('close', () => done()));
  const deadline = Date.now() + 30_000;
  while (!(await accepts(socket))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopChild(child, exited);
      throw new Error(`nix-daemon did not start on ${socket}: ${stderr.trim()}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  const uri = `unix://${socket}?store=${storeDir}`;
  return {
    socket,
    storeDir,
    stateDir,
    uri,
    env: { ...cleanEnv(), NIX_REMOTE: uri },
    pid: child.pid as number,
    stop: () => stopChild(child, exited),
  };
}

function accepts(socket: string): Promise<boolean> {
  if (!existsSync(socket)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const probe = connect({ path: socket });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export interface TestUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

const TEST_USER = 'genledger-test';

/** The non-root user multi-user tests run as; null (with the reason printed) when it is absent and cannot be created. */
export function testUser(): TestUser | null {
  const ids = () => {
    try {
      const uid = Number(execFileSync('id', ['-u', TEST_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      const gid = Number(execFileSync('id', ['-g', TEST_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      return { name: TEST_USER, uid, gid };
    } catch {
      return null;
    }
  };
  const found = ids();
  if (found !== null) return found;
  if (!isRoot) {
    console.warn(`nix: user '${TEST_USER}' is absent and only root can create it; skipping the multi-user tests`);
    return null;
  }
  execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', TEST_USER], { stdio: 'ignore' });
  return ids();
}

/** `nix-store --add DIR` into the store `storeUri` names; returns the store path. */
export function addToNixStore(storeUri: string, dir: string): string {
  return execFileSync('nix-store', ['--store', storeUri, ...OFFLINE, '--add', dir], { env: cleanEnv(), encoding: 'utf8' }).trim();
}

export interface DerivationSpec {
  readonly name: string;
  /** A store path the output refers to at run time (written into $out/ref). */
  readonly reference?: string;
  /** Makes otherwise equal derivations differ. */
  readonly salt?: string;
}

/** Builds `derivation { builder = "/bin/sh"; … }` with real Nix on `storeUri` (its .nix file goes in `workDir`); returns the output path. */
export function buildDerivation(storeUri: string, workDir: string, spec: DerivationSpec): string {
  const file = writeDerivationFile(workDir, spec);
  const out = nixCli(['build', '--store', storeUri, '--option', 'extra-sandbox-paths', SANDBOX_PATHS, '--no-link', '--json', '--file', file]);
  const built = JSON.parse(out) as Array<{ outputs: { out: string } }>;
  return (built[0] as { outputs: { out: string } }).outputs.out;
}

/** The same derivation instantiated only (`nix-instantiate`): its .drv path, for a build through the daemon protocol. */
export function instantiateDerivation(storeUri: string, workDir: string, spec: DerivationSpec): string {
  const file = writeDerivationFile(workDir, spec);
  return execFileSync('nix-instantiate', ['--store', storeUri, ...OFFLINE, file], { env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** What a chroot store's forced sandbox needs to run /bin/sh (see the header); NIX_CONFIG for a `nix-daemon --stdio`. */
export const SANDBOX_PATHS = '/bin /usr /lib /lib64';
export const sandboxNixConfig = `extra-sandbox-paths = ${SANDBOX_PATHS}\nsubstituters =`;

function writeDerivationFile(workDir: string, spec: DerivationSpec): string {
  mkdirSync(workDir, { recursive: true });
  // The reference is bound outside the script string, so its quotes never need escaping inside Nix's interpolation.
  const ref = spec.reference === undefined ? '' : 'echo ${ref} > $out/ref; ';
  const script = `PATH=/bin:/usr/bin; mkdir -p $out/bin; ${ref}printf '#!/bin/sh\\necho ${spec.name} ${spec.salt ?? ''}\\n' > $out/bin/${spec.name}; chmod +x $out/bin/${spec.name}`;
  const file = join(workDir, `${spec.name}.nix`);
  writeFileSync(
    file,
    `let ref = ${spec.reference === undefined ? 'null' : `builtins.storePath ${JSON.stringify(spec.reference)}`}; in derivation { name = ${JSON.stringify(spec.name)}; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" ${JSON.stringify(script)} ]; }\n`,
  );
  return file;
}

/** `nix ARGS` with nix-command enabled and substituters off; stdout. */
export function nixCli(args: readonly string[], env: Record<string, string> = cleanEnv()): string {
  return execFileSync('nix', ['--extra-experimental-features', 'nix-command', ...OFFLINE, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The process environment without a NIX_REMOTE that would redirect Nix's commands elsewhere. */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && name !== 'NIX_REMOTE') env[name] = value;
  return env;
}
