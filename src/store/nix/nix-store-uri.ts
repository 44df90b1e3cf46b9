/**
 * `--store nix[:URI]` → the Nix store it names, chosen exactly as Nix 2.8
 * chooses (store-api.cc `openStore`/`openFromNonUri`, local-fs-store.hh):
 *
 * - no URI: `NIX_REMOTE`, else `auto`;
 * - `auto`: the local store when Nix's state directory is readable and
 *   writable (root, or a single-user install), else the daemon when its
 *   socket exists, else the local store (which then fails to open, with
 *   Nix's own message);
 * - `daemon`, `unix://PATH`: a running daemon's socket;
 * - `local`, an absolute path DIR (= `local?root=DIR`): opened by a
 *   `nix-daemon --stdio` started for the command.
 *
 * Query parameters are kept and passed on to Nix; `root`, `store`, `state`
 * and `real` also fix where the store and its state are on this host
 * (a `root` puts them at ROOT/nix/store and ROOT/nix/var/nix, as in Nix,
 * whatever `store` says). Only the `auto` choice looks at the disk, through
 * `probe`, so every other case is a function of its arguments.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { posix } from 'node:path';
import { usageError } from '../../errors.js';
import type { NixStoreTarget } from './nix-store-target.js';

export interface NixStoreProbe {
  /** Nix's `access(dir, R_OK | W_OK) == 0`. */
  readWritable(dir: string): boolean;
  exists(path: string): boolean;
}

const diskProbe: NixStoreProbe = {
  readWritable(dir) {
    try {
      accessSync(dir, constants.R_OK | constants.W_OK);
      return true;
    } catch {
      return false;
    }
  },
  exists: (path) => existsSync(path),
};

const ACCEPTED = "'auto', 'daemon', 'local', 'local?root=DIR', 'unix:///PATH/TO/SOCKET' or an absolute path";

export function resolveNixStoreTarget(
  spec: string | null,
  env: Readonly<Record<string, string | undefined>>,
  probe: NixStoreProbe = diskProbe,
): NixStoreTarget {
  const uri = spec ?? nonEmpty(env.NIX_REMOTE) ?? 'auto';
  const question = uri.indexOf('?');
  const base = question < 0 ? uri : uri.slice(0, question);
  const params = parseParams(uri, question < 0 ? '' : uri.slice(question + 1));
  const defaults = {
    storeDir: nonEmpty(env.NIX_STORE_DIR) ?? nonEmpty(env.NIX_STORE) ?? '/nix/store',
    stateDir: nonEmpty(env.NIX_STATE_DIR) ?? '/nix/var/nix',
  };
  const dirs = storeDirs(uri, params, defaults);
  const daemonSocket = nonEmpty(env.NIX_DAEMON_SOCKET_PATH) ?? `${defaults.stateDir}/daemon-socket/socket`;
  const query = question < 0 ? '' : uri.slice(question);

  const local = (storeUri: string): NixStoreTarget => ({ uri, transport: { kind: 'stdio', storeUri }, cliStoreUri: storeUri, ...dirs });
  const socket = (path: string, cliStoreUri: string): NixStoreTarget => ({ uri, transport: { kind: 'socket', socket: path }, cliStoreUri, ...dirs });

  if (base === 'auto' || base === '') {
    if (probe.readWritable(dirs.stateDir)) return local(`local${query}`);
    if (probe.exists(daemonSocket)) return socket(daemonSocket, `daemon${query}`);
    return local(`local${query}`);
  }
  if (base === 'daemon') return socket(daemonSocket, uri);
  if (base === 'local') return local(uri);
  if (base.startsWith('unix://')) {
    const path = base.slice('unix://'.length);
    if (!isAbsolute(path)) throw badStore(uri, 'a unix:// socket path must be absolute');
    return socket(path, uri);
  }
  if (base.includes('://')) throw badStore(uri, `genledger cannot use a '${base.slice(0, base.indexOf('://'))}://' store`);
  if (base.includes('/')) {
    if (!isAbsolute(base)) throw badStore(uri, 'a store given as a path must be absolute');
    const rooted = `local?root=${base}${question < 0 ? '' : `&${uri.slice(question + 1)}`}`;
    return { ...local(rooted), ...storeDirs(uri, { ...params, root: base }, defaults) };
  }
  throw badStore(uri, 'unknown store');
}

interface StoreDirs {
  readonly storeDir: string;
  readonly realStoreDir: string;
  readonly stateDir: string;
}

function storeDirs(uri: string, params: Readonly<Record<string, string>>, defaults: { storeDir: string; stateDir: string }): StoreDirs {
  for (const name of ['root', 'store', 'state', 'real'] as const) {
    const value = params[name];
    if (value !== undefined && !isAbsolute(value)) throw badStore(uri, `its '${name}' must be an absolute path`);
  }
  const root = params.root === undefined ? null : stripSlash(params.root);
  const storeDir = stripSlash(params.store ?? defaults.storeDir);
  return {
    storeDir,
    realStoreDir: stripSlash(params.real ?? (root === null ? storeDir : `${root}/nix/store`)),
    stateDir: stripSlash(params.state ?? (root === null ? defaults.stateDir : `${root}/nix/var/nix`)),
  };
}

function parseParams(uri: string, query: string): Record<string, string> {
  const params: Record<string, string> = {};
  if (query === '') return params;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw badStore(uri, `'${pair}' is not a NAME=VALUE parameter`);
    try {
      params[decodeURIComponent(pair.slice(0, eq))] = decodeURIComponent(pair.slice(eq + 1));
    } catch {
      throw badStore(uri, `'${pair}' is not a valid URI parameter`);
    }
  }
  return params;
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/');
}

function stripSlash(path: string): string {
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function badStore(uri: string, why: string) {
  return usageError('GENLEDGER_BAD_STORE', `bad Nix store '${uri}': ${why}; accepted: ${ACCEPTED}`, 'give --store nix, or --store nix:URI with one of those URIs');
}
