import { describe, expect, it } from 'vitest';
import { isGenledgerError } from '../../../../src/errors.js';
import type { NixStoreProbe } from '../../../../src/store/nix/nix-store-uri.js';
import { resolveNixStoreTarget } from '../../../../src/store/nix/nix-store-uri.js';

/** A disk where the given state dirs are read-writable and the given sockets exist. */
const disk = (writable: string[] = [], existing: string[] = []): NixStoreProbe => ({
  readWritable: (dir) => writable.includes(dir),
  exists: (path) => existing.includes(path),
});

const nobody = disk();
const root = disk(['/nix/var/nix']);
const user = disk([], ['/nix/var/nix/daemon-socket/socket']);

describe('resolveNixStoreTarget chooses the store as Nix 2.8 does', () => {
  const cases: Array<[string, string | null, Record<string, string>, NixStoreProbe, object]> = [
    ['no spec, no NIX_REMOTE, as root: the local store', null, {}, root,
      { uri: 'auto', transport: { kind: 'stdio', storeUri: 'local' }, cliStoreUri: 'local', storeDir: '/nix/store', realStoreDir: '/nix/store', stateDir: '/nix/var/nix' }],
    ['no spec, as a user beside a daemon: its socket', null, {}, user,
      { uri: 'auto', transport: { kind: 'socket', socket: '/nix/var/nix/daemon-socket/socket' }, cliStoreUri: 'daemon' }],
    ['auto without state dir access nor socket: the local store (Nix fails to open it)', 'auto', {}, nobody,
      { transport: { kind: 'stdio', storeUri: 'local' } }],
    ['NIX_REMOTE when no spec', null, { NIX_REMOTE: 'daemon' }, root,
      { uri: 'daemon', transport: { kind: 'socket', socket: '/nix/var/nix/daemon-socket/socket' }, cliStoreUri: 'daemon' }],
    ['an empty NIX_REMOTE is auto', null, { NIX_REMOTE: '' }, root, { uri: 'auto', transport: { kind: 'stdio', storeUri: 'local' } }],
    ['the spec wins over NIX_REMOTE', 'local', { NIX_REMOTE: 'daemon' }, user, { uri: 'local', transport: { kind: 'stdio', storeUri: 'local' } }],
    ['daemon: NIX_DAEMON_SOCKET_PATH', 'daemon', { NIX_DAEMON_SOCKET_PATH: '/run/nix.sock' }, nobody,
      { transport: { kind: 'socket', socket: '/run/nix.sock' }, cliStoreUri: 'daemon' }],
    ['daemon: the socket under NIX_STATE_DIR', 'daemon', { NIX_STATE_DIR: '/srv/nix/var' }, nobody,
      { transport: { kind: 'socket', socket: '/srv/nix/var/daemon-socket/socket' }, stateDir: '/srv/nix/var' }],
    ['auto checks NIX_STATE_DIR', 'auto', { NIX_STATE_DIR: '/srv/var' }, disk(['/srv/var']), { transport: { kind: 'stdio', storeUri: 'local' } }],
    ['NIX_STORE_DIR names the store', 'local', { NIX_STORE_DIR: '/gnu/store' }, root, { storeDir: '/gnu/store', realStoreDir: '/gnu/store' }],
    ['a chroot store', 'local?root=/srv/r', {}, nobody,
      { uri: 'local?root=/srv/r', transport: { kind: 'stdio', storeUri: 'local?root=/srv/r' }, cliStoreUri: 'local?root=/srv/r', storeDir: '/nix/store', realStoreDir: '/srv/r/nix/store', stateDir: '/srv/r/nix/var/nix' }],
    ['a plain absolute path is a chroot store', '/srv/r/', {}, nobody,
      { uri: '/srv/r/', transport: { kind: 'stdio', storeUri: 'local?root=/srv/r/' }, realStoreDir: '/srv/r/nix/store', stateDir: '/srv/r/nix/var/nix' }],
    ['a root keeps /nix/store as the real dir under it whatever store says (as Nix)', 'local?root=/r&store=/s', {}, nobody,
      { storeDir: '/s', realStoreDir: '/r/nix/store', stateDir: '/r/nix/var/nix' }],
    ['store and state', 'local?store=/t/store&state=/t/state&log=/t/log', {}, nobody,
      { transport: { kind: 'stdio', storeUri: 'local?store=/t/store&state=/t/state&log=/t/log' }, storeDir: '/t/store', realStoreDir: '/t/store', stateDir: '/t/state' }],
    ['real', 'local?real=/mnt/store', {}, nobody, { storeDir: '/nix/store', realStoreDir: '/mnt/store' }],
    ['a unix socket with a store dir', 'unix:///t/socket?store=/t/store', {}, nobody,
      { transport: { kind: 'socket', socket: '/t/socket' }, cliStoreUri: 'unix:///t/socket?store=/t/store', storeDir: '/t/store', realStoreDir: '/t/store' }],
    ['auto keeps its parameters for the store it picks', 'auto?root=/r', {}, nobody, { transport: { kind: 'stdio', storeUri: 'local?root=/r' }, stateDir: '/r/nix/var/nix' }],
    ['auto with a state param checks that dir', 'auto?state=/t/state', {}, disk(['/t/state']), { transport: { kind: 'stdio', storeUri: 'local?state=/t/state' } }],
  ];
  it.each(cases)('%s', (_name, spec, env, probe, expected) => {
    expect(resolveNixStoreTarget(spec, env, probe)).toMatchObject(expected);
  });
});

describe('resolveNixStoreTarget refuses what genledger cannot use, as a usage error', () => {
  it.each([
    ['a relative root', 'local?root=srv/r'],
    ['a relative path', 'srv/r/x'],
    ['ssh', 'ssh://host'],
    ['ssh-ng', 'ssh-ng://host'],
    ['s3', 's3://bucket'],
    ['a binary cache', 'file:///srv/cache'],
    ['an unknown word', 'remote'],
    ['a relative socket', 'unix://socket'],
    ['a parameter without a value', 'local?root'],
  ])('%s', (_name, spec) => {
    try {
      resolveNixStoreTarget(spec, {}, nobody);
      expect.unreachable();
    } catch (error) {
      expect(isGenledgerError(error) && error.code).toBe('GENLEDGER_BAD_STORE');
      expect(isGenledgerError(error) && error.exitCode).toBe(2);
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).toContain("accepted: 'auto', 'daemon', 'local'");
    }
  });
});
