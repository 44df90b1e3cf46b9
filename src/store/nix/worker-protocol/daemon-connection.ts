/**
 * One connection to a Nix daemon speaking the worker protocol (Nix 2.8's
 * daemon.cc `processConnection`): the handshake, then operations one at a
 * time. Each operation writes its op code and arguments, then reads the
 * daemon's stderr stream (log lines, activities) up to STDERR_LAST, after
 * which the operation's reply follows; STDERR_ERROR instead ends the
 * operation with the daemon's error.
 *
 * Invariants: operations are serialised through a queue, so two callers
 * never interleave their bytes; after a broken pipe or a protocol error the
 * connection is dead and every later operation fails with that same error
 * (its byte stream can no longer be trusted to be in step).
 */
import { refused } from '../../../errors.js';
import { isGenledgerError } from '../../../errors.js';
import type { DaemonTransport } from './transport.js';
import { stripAnsi } from './transport.js';
import { WireReader, WireWriter, protocolError } from './wire.js';

const WORKER_MAGIC_1 = 0x6e697863;
const WORKER_MAGIC_2 = 0x6478696f;
/** What genledger announces: 1.34, Nix 2.8's own. */
export const CLIENT_PROTOCOL_MINOR = 34;
/** Structured errors (26) and framed NAR uploads (23) are what the client relies on: Nix 2.4 or newer. */
const MIN_DAEMON_MINOR = 26;

const STDERR_NEXT = 0x6f6c6d67;
const STDERR_READ = 0x64617461;
const STDERR_WRITE = 0x64617416;
const STDERR_LAST = 0x616c7473;
const STDERR_ERROR = 0x63787470;
const STDERR_START_ACTIVITY = 0x53545254;
const STDERR_STOP_ACTIVITY = 0x53544f50;
const STDERR_RESULT = 0x52534c54;

export interface ConnectionOptions {
  /** Receives the daemon's log lines and the text of the activities it starts (builds, downloads). */
  readonly onLog?: (line: string) => void;
}

/** What an operation does between sending its op code and the end of its reply. */
export interface Exchange<T> {
  /** The op code and arguments. */
  readonly request: Buffer;
  /** Runs while the daemon's stderr stream is read: an upload (framed NAR). */
  readonly upload?: (write: (bytes: Buffer) => Promise<void>) => Promise<void>;
  readonly reply: (reader: WireReader) => Promise<T>;
}

export class DaemonConnection {
  private queue: Promise<unknown> = Promise.resolve();
  private broken: Error | null = null;

  private constructor(
    private readonly transport: DaemonTransport,
    private readonly reader: WireReader,
    private readonly onLog: (line: string) => void,
    /** The negotiated minor version: the lower of the daemon's and ours. */
    readonly minor: number,
    /** The daemon's Nix version (from 1.33 on), e.g. '2.8.0'. */
    readonly daemonNixVersion: string | null,
  ) {}

  static async open(transport: DaemonTransport, options: ConnectionOptions = {}): Promise<DaemonConnection> {
    const reader = new WireReader(transport.input, (cause) =>
      protocolError(`the Nix daemon closed the connection${cause === null ? '' : ` (${cause.message})`}`),
    );
    const onLog = options.onLog ?? (() => {});
    try {
      await write(transport, new WireWriter().u64(WORKER_MAGIC_1).toBuffer());
      const magic = await reader.u64();
      if (magic !== BigInt(WORKER_MAGIC_2)) throw protocolError('the peer is not a Nix daemon: it answered the greeting with a wrong magic number');
      const version = await reader.number();
      const major = version >> 8;
      const daemonMinor = version & 0xff;
      if (major !== 1 || daemonMinor < MIN_DAEMON_MINOR) {
        throw protocolError(`the Nix daemon speaks protocol ${major}.${daemonMinor}; genledger needs 1.${MIN_DAEMON_MINOR} or newer (Nix 2.4 or newer)`);
      }
      const minor = Math.min(daemonMinor, CLIENT_PROTOCOL_MINOR);
      // Our version, then the obsolete CPU affinity (none) and reserveSpace (no).
      await write(transport, new WireWriter().u64((1 << 8) | CLIENT_PROTOCOL_MINOR).u64(0).u64(0).toBuffer());
      const daemonNixVersion = minor >= 33 ? await reader.string() : null;
      const connection = new DaemonConnection(transport, reader, onLog, minor, daemonNixVersion);
      await connection.readStderr();
      return connection;
    } catch (error) {
      const explained = await explainFailure(transport, error);
      await transport.close();
      throw explained;
    }
  }

  /** Runs one operation after those queued before it. */
  run<T>(exchange: Exchange<T>): Promise<T> {
    const result = this.queue.then(() => this.perform(exchange));
    this.queue = result.catch(() => {});
    return result;
  }

  async close(): Promise<void> {
    await this.queue;
    this.broken ??= protocolError('the connection to the Nix daemon is closed');
    await this.transport.close();
  }

  private async perform<T>(exchange: Exchange<T>): Promise<T> {
    if (this.broken !== null) throw this.broken;
    try {
      await write(this.transport, exchange.request);
      if (exchange.upload === undefined) {
        await this.readStderr();
      } else {
        // The daemon may log, or fail, while it reads the upload: read its stderr meanwhile, and only
        // go on once both are done, so the next operation never starts while bytes of this one are in flight.
        const [uploaded, answered] = await Promise.allSettled([exchange.upload((bytes) => write(this.transport, bytes)), this.readStderr()]);
        if (answered.status === 'rejected') throw answered.reason;
        if (uploaded.status === 'rejected') throw uploaded.reason;
      }
      return await exchange.reply(this.reader);
    } catch (error) {
      if (isGenledgerError(error) && error.code === 'GENLEDGER_NIX_DAEMON') throw error;
      this.broken = await explainFailure(this.transport, error);
      throw this.broken;
    }
  }

  /** Reads the stderr stream up to STDERR_LAST; STDERR_ERROR throws the daemon's error. */
  private async readStderr(): Promise<void> {
    for (;;) {
      const kind = Number(await this.reader.u64());
      switch (kind) {
        case STDERR_LAST:
          return;
        case STDERR_NEXT:
          this.log(await this.reader.string());
          break;
        case STDERR_START_ACTIVITY: {
          await this.reader.u64(); // activity id
          await this.reader.u64(); // verbosity
          await this.reader.u64(); // activity type
          const text = await this.reader.string();
          await this.readFields();
          await this.reader.u64(); // parent activity
          if (text !== '') this.log(text);
          break;
        }
        case STDERR_STOP_ACTIVITY:
          await this.reader.u64();
          break;
        case STDERR_RESULT:
          await this.reader.u64(); // activity id
          await this.reader.u64(); // result type
          await this.readFields();
          break;
        case STDERR_ERROR:
          throw await this.readError();
        case STDERR_READ:
        case STDERR_WRITE:
          throw protocolError('the Nix daemon asked to exchange data through its stderr stream, which no operation of genledger does');
        default:
          throw protocolError(`the Nix daemon sent an unknown message 0x${kind.toString(16)}`);
      }
    }
  }

  private async readFields(): Promise<void> {
    const count = await this.reader.number();
    for (let index = 0; index < count; index++) {
      const type = await this.reader.number();
      if (type === 0) await this.reader.u64();
      else if (type === 1) await this.reader.string();
      else throw protocolError(`the Nix daemon sent a log field of unknown type ${type}`);
    }
  }

  /** A structured error (1.26): "Error", level, name (unused), message, no position, traces. */
  private async readError() {
    if ((await this.reader.string()) !== 'Error') throw protocolError('the Nix daemon sent a malformed error');
    await this.reader.u64(); // level
    await this.reader.string(); // name, always "Error"
    const message = await this.reader.string();
    if ((await this.reader.u64()) !== 0n) throw protocolError('the Nix daemon sent an error with a position, which its protocol never does');
    const traces = await this.reader.number();
    for (let index = 0; index < traces; index++) {
      await this.reader.u64(); // position, always none
      await this.reader.string();
    }
    return refused('GENLEDGER_NIX_DAEMON', `nix-daemon: ${oneLine(message)}`, 'the Nix daemon refused the operation; its message says why');
  }

  private log(text: string): void {
    const line = stripAnsi(text).replace(/\n$/, '');
    if (line !== '') this.onLog(line);
  }
}

function write(transport: DaemonTransport, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    transport.output.write(bytes, (error) => (error ? reject(error) : resolve()));
  });
}

function oneLine(message: string): string {
  return stripAnsi(message).replace(/^error:\s*/, '').split('\n').map((line) => line.trim()).filter((line) => line !== '').join(' ');
}

/** The pipe's failure as a GenledgerError: the transport's explanation, else a protocol error naming the system error. */
async function explainFailure(transport: DaemonTransport, failure: unknown): Promise<Error> {
  const error = failure instanceof Error ? failure : new Error(String(failure));
  const explained = await transport.explain(error);
  if (isGenledgerError(explained)) return explained;
  const code = (explained as NodeJS.ErrnoException).code;
  return protocolError(`the connection to the Nix daemon broke${code === undefined ? '' : ` (${code})`}`);
}
