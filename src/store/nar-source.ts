/**
 * The byte source a NAR is parsed from: one buffer, or any iterable of
 * chunks (a file read piece by piece), so a large NAR never has to be whole
 * in memory. It reads the NAR primitives (little-endian u64, padded strings)
 * and turns every way input can be malformed (truncation, a length beyond
 * what remains or beyond a bound, non-zero padding) into one
 * `GENLEDGER_NAR_INVALID` error carrying the byte offset, never a RangeError.
 */

import { integrityError } from '../errors.js';
import type { GenledgerError } from '../errors.js';
import type { NarSink } from './nar-encoder.js';
import { paddingOf } from './nar-encoder.js';

export type NarInput = Uint8Array | Iterable<Uint8Array>;

const EMPTY = Buffer.alloc(0);
const MAX_U53_HIGH_WORD = 0x1f_ffff;

export class NarSource {
  private readonly chunks: Iterator<Uint8Array>;
  private readonly knownLength: number | undefined;
  /** The current input chunk, viewed as a Buffer (no copy) for its readers. */
  private chunk: Buffer = EMPTY;
  private at = 0;
  private before = 0;

  /** `raw` sees every input chunk as it is consumed (to hash the NAR while parsing it). */
  constructor(
    input: NarInput,
    private readonly raw?: NarSink,
  ) {
    const whole = input instanceof Uint8Array;
    this.chunks = (whole ? [input] : input)[Symbol.iterator]();
    this.knownLength = whole ? input.length : undefined;
  }

  /** Bytes consumed so far. */
  get offset(): number {
    return this.before + this.at;
  }

  invalid(message: string): GenledgerError {
    return integrityError('GENLEDGER_NAR_INVALID', `invalid NAR: ${message} (at byte ${this.offset})`);
  }

  u64(): number {
    const [bytes, at] = this.next(8);
    const high = bytes.readUInt32LE(at + 4);
    if (high > MAX_U53_HIGH_WORD) throw this.invalid('a length field is absurdly large');
    return high * 0x1_0000_0000 + bytes.readUInt32LE(at);
  }

  /** A length-prefixed, zero-padded string of at most `max` bytes. */
  string(max: number, what: string): Buffer {
    const length = this.stringLength(max, what);
    const bytes = this.take(length);
    this.padding(length);
    return bytes;
  }

  /** The same as `string`, decoded as Latin-1 (for the grammar's ASCII tags). */
  text(max: number, what: string): string {
    const length = this.stringLength(max, what);
    const [bytes, at] = this.next(length);
    const text = bytes.toString('latin1', at, at + length);
    this.padding(length);
    return text;
  }

  /** Passes the next `length` bytes to `piece` without copying; pieces are valid only during the call. */
  stream(length: number, piece: (bytes: Uint8Array) => void): void {
    this.require(length + paddingOf(length), 'file contents');
    let remaining = length;
    while (remaining > 0) {
      if (!this.ready()) throw this.truncated();
      const take = Math.min(remaining, this.chunk.length - this.at);
      piece(this.chunk.subarray(this.at, this.at + take));
      this.at += take;
      remaining -= take;
    }
  }

  /** Consumes the zero padding that follows a `length`-byte field. */
  padding(length: number): void {
    const count = paddingOf(length);
    const [bytes, at] = this.next(count);
    for (let i = at; i < at + count; i++) {
      if (bytes[i] !== 0) throw this.invalid('padding bytes are not zero');
    }
  }

  /** A copy of the next `length` bytes. */
  take(length: number): Buffer {
    const bytes = this.takeUpTo(length);
    if (bytes.length < length) throw this.truncated();
    return bytes;
  }

  /** A copy of the next `length` bytes, or of fewer if the input ends first. */
  takeUpTo(length: number): Buffer {
    const bytes = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length && this.ready()) {
      const take = Math.min(length - filled, this.chunk.length - this.at);
      bytes.set(this.chunk.subarray(this.at, this.at + take), filled);
      this.at += take;
      filled += take;
    }
    return bytes.subarray(0, filled);
  }

  atEnd(): boolean {
    return !this.ready();
  }

  truncated(): GenledgerError {
    return this.invalid('the archive is truncated');
  }

  /**
   * Consumes the next `length` bytes and says where they are: in place in
   * the current chunk when they lie within it (the common case, no copy),
   * else in a copy at offset 0.
   */
  private next(length: number): [Buffer, number] {
    if (this.chunk.length - this.at < length) return [this.take(length), 0];
    this.at += length;
    return [this.chunk, this.at - length];
  }

  private stringLength(max: number, what: string): number {
    const length = this.u64();
    if (length > max) throw this.invalid(`${what} of ${length} bytes is longer than the limit of ${max}`);
    this.require(length + paddingOf(length), what);
    return length;
  }

  /** Fails early when the whole input is known and too short for a declared length. */
  private require(length: number, what: string): void {
    if (this.knownLength === undefined) return;
    const remaining = this.knownLength - this.offset;
    if (length > remaining) {
      throw this.invalid(`${what} declares ${length} bytes, but only ${remaining} remain`);
    }
  }

  /** Whether unread input remains, pulling the next non-empty chunk if needed. */
  private ready(): boolean {
    while (this.at === this.chunk.length) {
      const result = this.chunks.next();
      if (result.done === true) return false;
      this.raw?.(result.value);
      this.before += this.chunk.length;
      this.chunk = Buffer.from(result.value.buffer, result.value.byteOffset, result.value.length);
      this.at = 0;
    }
    return true;
  }
}
