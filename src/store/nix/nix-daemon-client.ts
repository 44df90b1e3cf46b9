/**
 * A client of a Nix daemon (worker protocol 1.34, Nix 2.8's op codes): the
 * store operations genledger's Nix backend needs, typed. One instance is
 * one connection; its operations run one at a time in call order, and a
 * temporary root it adds lasts until `close()`.
 *
 * Paths are full store paths as the daemon prints them. The daemon's
 * refusals are GENLEDGER_NIX_DAEMON errors carrying Nix's message; a
 * daemon that cannot be reached is GENLEDGER_NIX_UNREACHABLE (a socket) or
 * GENLEDGER_NIX_NOT_FOUND (no nix-daemon to start); a peer that breaks the
 * protocol is GENLEDGER_NIX_PROTOCOL.
 */
import type { NixStoreTarget } from './nix-store-target.js';
import { DaemonConnection } from './worker-protocol/daemon-connection.js';
import { openTransport } from './worker-protocol/transport.js';
import { WireWriter } from './worker-protocol/wire.js';
import type { WireReader } from './worker-protocol/wire.js';

const Op = {
  isValidPath: 1,
  queryReferrers: 6,
  buildPaths: 9,
  ensurePath: 10,
  addTempRoot: 11,
  addIndirectRoot: 12,
  findRoots: 14,
  collectGarbage: 20,
  queryAllValidPaths: 23,
  queryPathInfo: 26,
  queryValidPaths: 31,
  addToStoreNar: 39,
} as const;

const GC_ACTIONS = { returnLive: 0, returnDead: 1, deleteDead: 2, deleteSpecific: 3 } as const;
/** Nix's client sends "no limit" as the largest u64. */
const NO_LIMIT = (1n << 64n) - 1n;
/** The largest frame of a NAR upload: big NARs go in pieces, never whole. */
const FRAME_BYTES = 1024 * 1024;

export interface NixPathInfo {
  readonly path: string;
  readonly deriver: string | null;
  /** sha256 of the NAR, base-16, as the daemon sends it (the daemon also accepts nix32 or SRI on upload). */
  readonly narHash: string;
  readonly references: readonly string[];
  /** Seconds since the epoch. */
  readonly registrationTime: number;
  readonly narSize: number;
  readonly ultimate: boolean;
  readonly signatures: readonly string[];
  /** The content address (`fixed:r:sha256:…`, `text:sha256:…`), null for an input-addressed path. */
  readonly ca: string | null;
}

export type NixPathInfoToAdd = Omit<NixPathInfo, 'ultimate'>;

export type NarInput = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export interface GcRequest {
  readonly action: keyof typeof GC_ACTIONS;
  /** For 'deleteSpecific': the paths to delete (live ones are refused by Nix). */
  readonly paths?: readonly string[];
  /** Stop once this many bytes are freed; no limit by default. */
  readonly maxFreed?: bigint;
}

export interface GcResult {
  /** Returned or deleted paths (Nix also lists the trash it removed). */
  readonly paths: readonly string[];
  readonly bytesFreed: bigint;
}

export interface ClientOptions {
  readonly onLog?: (line: string) => void;
  /** The environment a started `nix-daemon --stdio` gets (PATH finds it); the process's by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export class NixDaemonClient {
  private constructor(
    private readonly connection: DaemonConnection,
    readonly target: NixStoreTarget,
  ) {}

  static async connect(target: NixStoreTarget, options: ClientOptions = {}): Promise<NixDaemonClient> {
    const transport = await openTransport(target.transport, options.env ?? process.env);
    const connection = await DaemonConnection.open(transport, options.onLog === undefined ? {} : { onLog: options.onLog });
    return new NixDaemonClient(connection, target);
  }

  /** The Nix version of the daemon ('2.8.0'), when it says (protocol 1.33 on). */
  get daemonNixVersion(): string | null {
    return this.connection.daemonNixVersion;
  }

  isValidPath(path: string): Promise<boolean> {
    return this.call(request(Op.isValidPath).string(path), (reader) => reader.bool());
  }

  /** The valid ones among `paths`, without substituting. */
  queryValidPaths(paths: readonly string[]): Promise<string[]> {
    const writer = request(Op.queryValidPaths).strings(paths);
    if (this.connection.minor >= 27) writer.bool(false);
    return this.call(writer, (reader) => reader.strings());
  }

  /** null when the path is not valid. */
  queryPathInfo(path: string): Promise<NixPathInfo | null> {
    return this.call(request(Op.queryPathInfo).string(path), async (reader) => {
      if (!(await reader.bool())) return null;
      const deriver = await reader.string();
      const narHash = await reader.string();
      const references = await reader.strings();
      const registrationTime = await reader.number();
      const narSize = await reader.number();
      const ultimate = await reader.bool();
      const signatures = await reader.strings();
      const ca = await reader.string();
      return { path, deriver: deriver === '' ? null : deriver, narHash, references, registrationTime, narSize, ultimate, signatures, ca: ca === '' ? null : ca };
    });
  }

  queryAllValidPaths(): Promise<string[]> {
    return this.call(request(Op.queryAllValidPaths), (reader) => reader.strings());
  }

  queryReferrers(path: string): Promise<string[]> {
    return this.call(request(Op.queryReferrers).string(path), (reader) => reader.strings());
  }

  /**
   * Registers `info.path` with the NAR's contents. As a non-trusted user the
   * daemon accepts it only when it is content-addressed (and `ca` matches)
   * or carries a signature of a trusted key; `dontCheckSigs` counts only
   * for trusted users.
   */
  addToStoreNar(info: NixPathInfoToAdd, nar: NarInput, options: { dontCheckSigs?: boolean } = {}): Promise<void> {
    const writer = request(Op.addToStoreNar)
      .string(info.path)
      .string(info.deriver ?? '')
      .string(info.narHash)
      .strings(info.references)
      .u64(info.registrationTime)
      .u64(info.narSize)
      .bool(false) // ultimate: the daemon decides
      .strings(info.signatures)
      .string(info.ca ?? '')
      .bool(false) // repair
      .bool(options.dontCheckSigs ?? false);
    return this.connection.run({
      request: writer.toBuffer(),
      upload: (write) => uploadFramed(nar, write),
      reply: async () => undefined,
    });
  }

  /** Protects `path` from collection until this connection closes. */
  async addTempRoot(path: string): Promise<void> {
    await this.call(request(Op.addTempRoot).string(path), (reader) => reader.u64());
  }

  /** Makes the symlink `linkPath` a root Nix's collector follows (gcroots/auto). */
  async addIndirectRoot(linkPath: string): Promise<void> {
    await this.call(request(Op.addIndirectRoot).string(linkPath), (reader) => reader.u64());
  }

  /** Every root Nix knows: links (and, for the daemon, runtime references such as `{memory:…}` or /proc) with their targets. */
  findRoots(): Promise<Array<{ link: string; target: string }>> {
    return this.call(request(Op.findRoots), async (reader) => {
      const count = await reader.number();
      const roots: Array<{ link: string; target: string }> = [];
      for (let index = 0; index < count; index++) roots.push({ link: await reader.string(), target: await reader.string() });
      return roots;
    });
  }

  collectGarbage(gc: GcRequest): Promise<GcResult> {
    const writer = request(Op.collectGarbage)
      .u64(GC_ACTIONS[gc.action])
      .strings(gc.paths ?? [])
      .bool(false) // ignoreLiveness: refused by the daemon anyway
      .u64(gc.maxFreed ?? NO_LIMIT)
      .u64(0)
      .u64(0)
      .u64(0); // three obsolete fields
    return this.call(writer, async (reader) => {
      const paths = await reader.strings();
      const bytesFreed = await reader.u64();
      await reader.u64(); // obsolete
      return { paths, bytesFreed };
    });
  }

  /** Makes `path` valid, substituting it when it is missing. */
  async ensurePath(path: string): Promise<void> {
    await this.call(request(Op.ensurePath).string(path), (reader) => reader.u64());
  }

  /** Builds (or substitutes) derived paths: `/nix/store/…drv!out`, `…drv!*`, or an opaque store path. */
  async buildPaths(paths: readonly string[]): Promise<void> {
    await this.call(request(Op.buildPaths).strings(paths).u64(0 /* normal build mode */), (reader) => reader.u64());
  }

  /** Ends the connection (and a daemon started for it) after the queued operations; its temporary roots go with it. */
  close(): Promise<void> {
    return this.connection.close();
  }

  private call<T>(writer: WireWriter, reply: (reader: WireReader) => Promise<T>): Promise<T> {
    return this.connection.run({ request: writer.toBuffer(), reply });
  }
}

function request(op: number): WireWriter {
  return new WireWriter().u64(op);
}

/** The NAR as frames (u64 length, bytes) of at most FRAME_BYTES, then an empty frame. */
async function uploadFramed(nar: NarInput, write: (bytes: Buffer) => Promise<void>): Promise<void> {
  const chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array> = nar instanceof Uint8Array ? [nar] : nar;
  for await (const chunk of chunks) {
    for (let offset = 0; offset < chunk.length; offset += FRAME_BYTES) {
      const piece = chunk.subarray(offset, Math.min(chunk.length, offset + FRAME_BYTES));
      await write(new WireWriter().u64(piece.length).toBuffer());
      await write(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
    }
  }
  await write(new WireWriter().u64(0).toBuffer());
}
