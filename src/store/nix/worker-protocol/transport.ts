/**
 * The byte pipe to a Nix daemon: a running daemon's Unix socket, or a
 * `nix-daemon --stdio` started for this client, which opens a local (or
 * chroot) store itself and serves one connection on its stdin/stdout.
 *
 * Invariants: every stream has an error listener (a peer that goes away
 * never crashes the process; the failure reaches the pending read or
 * write); `close()` ends the connection and resolves only once the socket
 * is closed or the child has exited (killed when it does not exit on its
 * own), so no daemon outlives its client. A child that dies early is
 * explained by Nix's own first line on its stderr.
 */
import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { refused } from '../../../errors.js';
import type { GenledgerError } from '../../../errors.js';
import type { NixTransport } from '../nix-store-target.js';

export interface DaemonTransport {
  readonly input: Readable;
  readonly output: Writable;
  /** What to report instead of `error` when the pipe's failure has a better explanation (the daemon died, saying why). */
  explain(error: Error): Promise<Error>;
  close(): Promise<void>;
}

/** How long a closed daemon gets to exit before it is killed. */
const EXIT_GRACE_MS = 3000;
/** How long to wait for a failing daemon's exit (and its last words on stderr) when explaining a broken pipe. */
const EXPLAIN_WAIT_MS = 2000;
const STDERR_KEPT_BYTES = 16 * 1024;

export function openTransport(transport: NixTransport, env: Readonly<Record<string, string | undefined>>): Promise<DaemonTransport> {
  return transport.kind === 'socket' ? connectSocket(transport.socket) : spawnStdioDaemon(transport.storeUri, env);
}

function connectSocket(path: string): Promise<DaemonTransport> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    socket.once('error', (error: NodeJS.ErrnoException) => reject(unreachable(path, error)));
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      socket.on('error', () => {});
      resolve({
        input: socket,
        output: socket,
        explain: async (error) => error,
        close: () =>
          new Promise<void>((done) => {
            if (socket.destroyed && socket.closed) return done();
            socket.once('close', () => done());
            socket.destroy();
          }),
      });
    });
  });
}

function unreachable(path: string, error: NodeJS.ErrnoException): GenledgerError {
  const why = error.code === 'ENOENT' ? 'no such socket' : error.code === 'ECONNREFUSED' ? 'nothing listens on it' : error.code === 'EACCES' ? 'permission denied' : (error.code ?? error.message);
  return refused('GENLEDGER_NIX_UNREACHABLE', `cannot reach the Nix daemon at ${path}: ${why}`, 'start nix-daemon, or use --store nix:local as root');
}

function spawnStdioDaemon(storeUri: string, env: Readonly<Record<string, string | undefined>>): Promise<DaemonTransport> {
  const childEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) childEnv[name] = value;
  childEnv.NIX_REMOTE = storeUri;
  const child = spawn('nix-daemon', ['--stdio'], { env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    if (stderr.length < STDERR_KEPT_BYTES) stderr += text;
  });
  child.stdin.on('error', () => {});
  child.stdout.on('error', () => {});
  const exited = new Promise<void>((done) => child.once('close', () => done()));

  const explain = async (error: Error): Promise<Error> => {
    await Promise.race([exited, delay(EXPLAIN_WAIT_MS)]);
    const line = firstLine(stderr);
    if (child.exitCode === null || child.exitCode === 0 || line === null) return error;
    return refused('GENLEDGER_NIX_DAEMON', `nix-daemon: ${line}`, `the store '${storeUri}' is opened by this user: run as root, or use --store nix:daemon`);
  };
  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? refused('GENLEDGER_NIX_NOT_FOUND', 'nix-daemon is not on PATH', 'install Nix (2.4 or newer), or use --store embedded')
          : refused('GENLEDGER_NIX_UNREACHABLE', `cannot start nix-daemon --stdio: ${error.code ?? error.message}`, 'check the Nix installation, or use --store embedded'),
      );
    });
    child.once('spawn', () => resolve({ input: child.stdout, output: child.stdin, explain, close }));
  });
}

/** Nix's first message line, without its colours and its `error: ` prefix. */
function firstLine(text: string): string | null {
  for (const raw of stripAnsi(text).split('\n')) {
    const line = raw.trim().replace(/^error:\s*/, '');
    if (line !== '') return line;
  }
  return null;
}

/** Nix colours the arguments of its messages even when they go to a pipe. */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms).unref());
}
