/**
 * Reading LevelDB's on-disk encodings from untrusted bytes: varints (up
 * to 64 bits, kept only while a JavaScript number holds them exactly),
 * length-prefixed slices, BlockHandles. Every read stays inside the
 * window `[at, end)` it was given; anything that does not fit throws
 * MalformedBytes, which the checkers turn into a description of damage.
 */

export class MalformedBytes extends Error {}

export interface BlockHandle {
  readonly offset: number;
  readonly size: number;
}

export class ByteReader {
  constructor(
    private readonly bytes: Uint8Array,
    public at: number,
    private readonly end: number,
    private readonly what: string,
  ) {
    if (at < 0 || end > bytes.length || at > end) throw new MalformedBytes(`${what} runs past its end`);
  }

  done(): boolean {
    return this.at >= this.end;
  }

  varint(): number {
    let value = 0;
    for (let shift = 0; shift <= 63 && this.at < this.end; shift += 7) {
      const byte = this.bytes[this.at++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) {
        if (Number.isSafeInteger(value)) return value;
        break;
      }
    }
    throw new MalformedBytes(`${this.what} holds a malformed number`);
  }

  skip(length: number): void {
    if (this.at + length > this.end) throw new MalformedBytes(`${this.what} has an entry running past its end`);
    this.at += length;
  }

  /** Skips a varint32-length-prefixed slice. */
  skipSlice(): void {
    this.skip(this.varint());
  }

  handle(): BlockHandle {
    return { offset: this.varint(), size: this.varint() };
  }
}
