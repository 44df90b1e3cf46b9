/**
 * The NAR wire format, written forwards into a sink (spec section 3). The
 * encoder knows the grammar's fixed tokens and the padding rule; callers walk
 * their tree (in-memory or on disk) in byte-sorted order and call it. Small
 * fields are batched into one reusable buffer so a sink (a hash, a reference
 * scanner, a file) sees few large chunks rather than one call per 8-byte
 * field.
 *
 * Invariant for sinks: a chunk is only valid for the duration of the call;
 * the encoder reuses its buffer afterwards. Copy it if you keep it.
 */

export type NarSink = (chunk: Uint8Array) => void;

/**
 * Reads up to `length` bytes into `target` at `offset` and returns how many
 * it read. It must read at least one byte or throw.
 */
export type NarContentsReader = (target: Buffer, offset: number, length: number) => number;

const CAPACITY = 64 * 1024;

function narString(text: string): Buffer {
  const padded = Buffer.alloc(8 + Math.ceil(text.length / 8) * 8);
  padded.writeUInt32LE(text.length, 0);
  padded.write(text, 8, 'latin1');
  return padded;
}

function tokens(...texts: string[]): Buffer {
  return Buffer.concat(texts.map(narString));
}

/** The archive's first 24 bytes: the string `nix-archive-1`, length-prefixed and padded. */
export const NAR_MAGIC = tokens('nix-archive-1');
const REGULAR = tokens('(', 'type', 'regular', 'contents');
const EXECUTABLE = tokens('(', 'type', 'regular', 'executable', '', 'contents');
const SYMLINK = tokens('(', 'type', 'symlink', 'target');
const DIRECTORY = tokens('(', 'type', 'directory');
const ENTRY = tokens('entry', '(', 'name');
const NODE = tokens('node');
const CLOSE = tokens(')');

export function paddingOf(length: number): number {
  return (8 - (length % 8)) % 8;
}

export class NarEncoder {
  private readonly buffer = Buffer.allocUnsafe(CAPACITY);
  // Fields are written through a DataView and a plain Uint8Array over the
  // buffer: their methods are engine built-ins, while Buffer's
  // writeUInt32LE/fill/copy are JavaScript that a short-lived command (one
  // `store add` of thousands of small files) mostly runs uncompiled.
  private readonly view = new DataView(this.buffer.buffer, this.buffer.byteOffset, CAPACITY);
  private readonly bytes = new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, CAPACITY);
  private used = 0;
  private flushed = 0;

  constructor(private readonly sink: NarSink) {
    this.put(NAR_MAGIC);
  }

  /** Bytes encoded so far: the NAR size once `end()` has been called. */
  get size(): number {
    return this.flushed + this.used;
  }

  regularStart(executable: boolean, size: number): void {
    this.put(executable ? EXECUTABLE : REGULAR);
    this.u64(size);
  }

  /** Appends file contents given in memory; call it any number of times. */
  contents(bytes: Uint8Array): void {
    if (bytes.length > CAPACITY - this.used) {
      this.flush();
      if (bytes.length > CAPACITY / 2) {
        this.sink(bytes);
        this.flushed += bytes.length;
        return;
      }
    }
    this.buffer.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** Appends `size` bytes of file contents read straight into the batch buffer. */
  contentsFrom(size: number, read: NarContentsReader): void {
    let remaining = size;
    while (remaining > 0) {
      if (this.used === CAPACITY) this.flush();
      const got = read(this.buffer, this.used, Math.min(remaining, CAPACITY - this.used));
      this.used += got;
      remaining -= got;
    }
  }

  regularEnd(size: number): void {
    this.zeros(paddingOf(size));
    this.put(CLOSE);
  }

  symlink(target: Uint8Array | string): void {
    this.put(SYMLINK);
    this.string(target);
    this.put(CLOSE);
  }

  directoryStart(): void {
    this.put(DIRECTORY);
  }

  entryStart(name: Uint8Array | string): void {
    this.put(ENTRY);
    this.string(name);
    this.put(NODE);
  }

  entryEnd(): void {
    this.put(CLOSE);
  }

  directoryEnd(): void {
    this.put(CLOSE);
  }

  /** Hands the last batched bytes to the sink. */
  end(): void {
    this.flush();
  }

  private string(value: Uint8Array | string): void {
    if (typeof value !== 'string') {
      this.u64(value.length);
      this.contents(value);
      this.zeros(paddingOf(value.length));
      return;
    }
    const length = Buffer.byteLength(value);
    if (length + 16 > CAPACITY - this.used) {
      this.flush();
      if (length + 16 > CAPACITY) {
        this.string(Buffer.from(value));
        return;
      }
    }
    this.u64(length);
    this.used += this.buffer.write(value, this.used, 'utf8');
    this.zeros(paddingOf(length));
  }

  private u64(value: number): void {
    this.reserve(8);
    this.view.setUint32(this.used, value % 0x1_0000_0000, true);
    this.view.setUint32(this.used + 4, Math.floor(value / 0x1_0000_0000), true);
    this.used += 8;
  }

  private zeros(count: number): void {
    this.reserve(count);
    this.bytes.fill(0, this.used, this.used + count);
    this.used += count;
  }

  private put(bytes: Buffer): void {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.used);
    this.used += bytes.length;
  }

  private reserve(count: number): void {
    if (this.used + count > CAPACITY) this.flush();
  }

  private flush(): void {
    if (this.used === 0) return;
    this.sink(this.buffer.subarray(0, this.used));
    this.flushed += this.used;
    this.used = 0;
  }
}
