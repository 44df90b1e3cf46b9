/**
 * The client meets a daemon that is not there, a nix-daemon that is not
 * installed, and peers that break the protocol (fake daemons on a Unix
 * socket written here): each is a GenledgerError with its code, at once,
 * never a hang or a huge allocation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NixDaemonClient } from '../../src/store/nix/nix-daemon-client.js';
import { resolveNixStoreTarget } from '../../src/store/nix/nix-store-uri.js';
import { WireWriter } from '../../src/store/nix/worker-protocol/wire.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'genledger-nix-peer-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MAGIC_2 = 0x6478696f;
const STDERR_LAST = 0x616c7473;
const STDERR_NEXT = 0x6f6c6d67;

/** A fake daemon: `answer` sees each connection once the client's first 8 bytes (the greeting) arrived. */
async function fakeDaemon(name: string, answer: (socket: Socket) => void): Promise<{ uri: string; server: Server }> {
  const socket = join(dir, `${name}.socket`);
  const server = createServer((connection) => {
    connection.on('error', () => {});
    connection.once('data', () => answer(connection));
  });
  await new Promise<void>((done) => server.listen(socket, done));
  return { uri: `unix://${socket}`, server };
}

/** The greeting a Nix 2.8 daemon sends, up to its version string. */
const greeting = () => new WireWriter().u64(MAGIC_2).u64((1 << 8) | 34);

async function failure(uri: string): Promise<{ code: string; message: string }> {
  const started = Date.now();
  try {
    const client = await NixDaemonClient.connect(resolveNixStoreTarget(uri, {}));
    await client.isValidPath('/nix/store/00000000000000000000000000000000-x');
    await client.close();
  } catch (error) {
    // Generous: a hang would be the test's own timeout; an answer comes in milliseconds.
    expect(Date.now() - started).toBeLessThan(10_000);
    return { code: (error as { code: string }).code, message: (error as Error).message };
  }
  throw new Error('the client did not fail');
}

describe('the client refuses broken peers with a clear error', () => {
  it('no daemon at the socket: GENLEDGER_NIX_UNREACHABLE naming it', async () => {
    const socket = join(dir, 'absent.socket');
    expect(await failure(`unix://${socket}`)).toEqual({ code: 'GENLEDGER_NIX_UNREACHABLE', message: `cannot reach the Nix daemon at ${socket}: no such socket` });
  });

  it('nix-daemon not on PATH: GENLEDGER_NIX_NOT_FOUND', async () => {
    const target = resolveNixStoreTarget(`local?root=${join(dir, 'chroot')}`, {});
    await expect(NixDaemonClient.connect(target, { env: { PATH: join(dir, 'no-bin') } })).rejects.toMatchObject({ code: 'GENLEDGER_NIX_NOT_FOUND' });
  });

  it('a wrong magic number', async () => {
    const { uri, server } = await fakeDaemon('magic', (socket) => socket.write(new WireWriter().u64(0x12345678).u64(0x122).toBuffer()));
    expect(await failure(uri)).toMatchObject({ code: 'GENLEDGER_NIX_PROTOCOL', message: expect.stringContaining('wrong magic number') });
    server.close();
  });

  it('a protocol too old', async () => {
    const { uri, server } = await fakeDaemon('old', (socket) => socket.write(new WireWriter().u64(MAGIC_2).u64((1 << 8) | 21).toBuffer()));
    expect(await failure(uri)).toMatchObject({ code: 'GENLEDGER_NIX_PROTOCOL', message: expect.stringContaining('protocol 1.21') });
    server.close();
  });

  it('a huge string length, refused before any allocation', async () => {
    const { uri, server } = await fakeDaemon('huge', (socket) => socket.write(Buffer.concat([greeting().toBuffer(), new WireWriter().u64(1n << 40n).toBuffer()])));
    expect(await failure(uri)).toMatchObject({ code: 'GENLEDGER_NIX_PROTOCOL', message: expect.stringContaining(`${1n << 40n} bytes`) });
    server.close();
  });

  it('non-zero padding', async () => {
    const bad = Buffer.concat([greeting().toBuffer(), new WireWriter().u64(5).toBuffer(), Buffer.from('2.8.0\x00\x00\x01')]);
    const { uri, server } = await fakeDaemon('padding', (socket) => socket.write(bad));
    expect(await failure(uri)).toMatchObject({ code: 'GENLEDGER_NIX_PROTOCOL', message: expect.stringContaining('non-zero padding') });
    server.close();
  });

  it('a connection closed in the middle of a reply', async () => {
    const { uri, server } = await fakeDaemon('closed', (socket) => socket.end(greeting().string('2.8.0').toBuffer().subarray(0, 20)));
    expect(await failure(uri)).toMatchObject({ code: 'GENLEDGER_NIX_PROTOCOL', message: expect.stringContaining('closed the connection') });
    server.close();
  });

  it('an unknown stderr message', async () => {
    const { uri, server } = await fakeDaemon('unknown', (socket) => socket.write(greeting().string('2.8.0').u64(0xdeadbeef).toBuffer()));
    expect(await failure(uri)).toMatchObject({ code: 'GENLEDGER_NIX_PROTOCOL', message: expect.stringContaining('unknown message 0xdeadbeef') });
    server.close();
  });

  it('operations queued together are answered in call order, each after its log lines', async () => {
    // A daemon that answers the handshake, then one op with a log line, STDERR_LAST and a true bool.
    const { uri, server } = await fakeDaemon('ordered', (socket) => {
      socket.write(greeting().string('2.8.0').u64(STDERR_LAST).toBuffer());
      let seen = 0;
      socket.on('data', () => {
        seen++;
        if (seen <= 2) socket.write(new WireWriter().u64(STDERR_NEXT).string('line\n').u64(STDERR_LAST).bool(seen === 1).toBuffer());
      });
    });
    const logs: string[] = [];
    const client = await NixDaemonClient.connect(resolveNixStoreTarget(uri, {}), { onLog: (line) => logs.push(line) });
    const first = client.isValidPath('/nix/store/00000000000000000000000000000000-a');
    const second = client.isValidPath('/nix/store/00000000000000000000000000000000-b');
    expect([await first, await second]).toEqual([true, false]);
    expect(logs).toEqual(['line', 'line']);
    await client.close();
    server.close();
  });
});
