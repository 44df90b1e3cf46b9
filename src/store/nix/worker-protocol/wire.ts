/**
 * The Nix worker protocol's wire format (serialise.hh): every number is a
 * u64 little-endian; a string is its length as u64, its bytes, then zeros
 * up to a multiple of 8; a list is its count then its items; a bool is a
 * u64 0 or 1.
 *
 * `WireWriter` builds a message in memory; `WireReader` reads one from a
 * byte stream. The reader trusts nothing its peer says: non-zero padding,
 * a bool that is neither 0 nor 1, a length beyond `MAX_STRING_BYTES` or a
 * count beyond `MAX_LIST_ITEMS` is a GENLEDGER_NIX_PROTOCOL error before
 * anything is allocated, and the stream ending mid-message rejects the
 * waiting read instead of hanging.
 */
import type { Readable } from 'node:stream';
import { refused } from '../../../errors.js';
import type { GenledgerError } from '../../../errors.js';

/** No answer of the ops genledger uses comes near this; a larger length means a broken peer. */
export const MAX_STRING_BYTES = 64 * 1024 * 1024;
/** Far above the valid paths of a big store (a few 100,000), far below what would exhaust memory. */
export const MAX_LIST_ITEMS = 16 * 1024 * 1024;

const U64_MAX = (1n << 64n) - 1n;
/** Above this many buffered bytes the stream is paused until the reader catches up. */
const HIGH_WATER = 1024 * 1024;

export function protocolError(message: string): GenledgerError {
  return refused('GENLEDGER_NIX_PROTOCOL', message, 'check that the store URI names a Nix daemon (Nix 2.4 or newer)');
}

export class WireWriter {
  private readonly parts: Buffer[] = [];

  u64(value: number | bigint): this {
    const big = BigInt(value);
    if (big < 0n || big > U64_MAX) throw new RangeError(`${value} is not a u64`);
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(big);
    this.parts.push(buffer);
    return this;
  }

  bool(value: boolean): this {
    return this.u64(value ? 1 : 0);
  }

  string(value: string | Uint8Array): this {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    this.u64(bytes.length);
    this.parts.push(bytes);
    const padding = (8 - (bytes.length % 8)) % 8;
    if (padding > 0) this.parts.push(Buffer.alloc(padding));
    return this;
  }

  strings(values: readonly string[]): this {
    this.u64(values.length);
    for (const value of values) this.string(value);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

interface Waiter {
  readonly size: number;
  readonly resolve: (bytes: Buffer) => void;
  readonly reject: (error: Error) => void;
}

export class WireReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private waiter: Waiter | null = null;
  private ended: Error | null = null;

  /** `onEnd` names why the stream ended, for the read it interrupts (a closed connection, a dead daemon). */
  constructor(
    private readonly input: Readable,
    private readonly onEnd: (cause: Error | null) => Error = (cause) =>
      protocolError(`the Nix daemon closed the connection in the middle of a message${cause === null ? '' : ` (${cause.message})`}`),
  ) {
    input.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      if (this.buffered > Math.max(HIGH_WATER, this.waiter?.size ?? 0)) input.pause();
      this.serve();
    });
    input.on('end', () => this.finish(null));
    input.on('close', () => this.finish(null));
    input.on('error', (error: Error) => this.finish(error));
  }

  async u64(): Promise<bigint> {
    return (await this.bytes(8)).readBigUInt64LE();
  }

  /** A u64 that must fit a JavaScript number exactly (counts, sizes, times). */
  async number(): Promise<number> {
    const value = await this.u64();
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw protocolError(`the Nix daemon sent the number ${value}, too large for this field`);
    return Number(value);
  }

  async bool(): Promise<boolean> {
    const value = await this.u64();
    if (value > 1n) throw protocolError(`the Nix daemon sent ${value} where a boolean (0 or 1) belongs`);
    return value === 1n;
  }

  async string(): Promise<string> {
    return (await this.stringBytes()).toString('utf8');
  }

  async stringBytes(): Promise<Buffer> {
    const length = await this.u64();
    if (length > BigInt(MAX_STRING_BYTES)) {
      throw protocolError(`the Nix daemon sent a string of ${length} bytes (at most ${MAX_STRING_BYTES} are accepted)`);
    }
    const size = Number(length);
    const bytes = await this.bytes(size);
    const padding = (8 - (size % 8)) % 8;
    if (padding > 0 && (await this.bytes(padding)).some((byte) => byte !== 0)) {
      throw protocolError('the Nix daemon sent a string with non-zero padding');
    }
    return bytes;
  }

  async strings(): Promise<string[]> {
    const count = await this.u64();
    if (count > BigInt(MAX_LIST_ITEMS)) throw protocolError(`the Nix daemon sent a list of ${count} items (at most ${MAX_LIST_ITEMS} are accepted)`);
    const items: string[] = [];
    for (let index = 0n; index < count; index++) items.push(await this.string());
    return items;
  }

  /** Exactly `size` bytes, once they have arrived. */
  bytes(size: number): Promise<Buffer> {
    if (this.waiter !== null) return Promise.reject(new Error('WireReader: a read is already waiting'));
    return new Promise((resolve, reject) => {
      this.waiter = { size, resolve, reject };
      this.serve();
    });
  }

  private serve(): void {
    const waiter = this.waiter;
    if (waiter === null) return;
    if (this.buffered >= waiter.size) {
      this.waiter = null;
      waiter.resolve(this.take(waiter.size));
      if (this.buffered <= HIGH_WATER && this.input.isPaused()) this.input.resume();
    } else if (this.ended !== null) {
      this.waiter = null;
      waiter.reject(this.ended);
    } else if (this.input.isPaused()) {
      this.input.resume();
    }
  }

  private take(size: number): Buffer {
    const whole = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    this.chunks = whole.length > size ? [whole.subarray(size)] : [];
    this.buffered -= size;
    return whole.subarray(0, size);
  }

  private finish(cause: Error | null): void {
    if (this.ended === null) this.ended = this.onEnd(cause);
    this.serve();
  }
}
