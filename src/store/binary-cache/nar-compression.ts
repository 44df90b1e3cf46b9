/**
 * Compression of NAR files in a binary cache. Reading covers every method
 * Nix 2.8 writes except lzip/lz4: xz (its default), zstd and bzip2 through
 * their command-line tools, gzip and br through zlib. Writing offers `none`
 * and `xz`. Decompression streams: compressed input goes in and output is
 * yielded chunk by chunk, so neither side is ever whole in memory, and a
 * consumer that stops early (a NAR larger than announced) stops the
 * decoder with it. Decoder failures become one GenledgerError naming
 * `whence`, never a raw Node error.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { once } from 'node:events';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip } from 'node:zlib';
import { integrityError, isGenledgerError, refused } from '../../errors.js';

export type WriteCompression = 'none' | 'xz';

const TOOLS: Readonly<Record<string, readonly [string, ...string[]]>> = {
  xz: ['xz', '-dc'],
  zstd: ['zstd', '-dcq'],
  bzip2: ['bzip2', '-dc'],
};

const ZLIB: Readonly<Record<string, () => Transform>> = {
  gzip: createGunzip,
  br: createBrotliDecompress,
};

const MAX_STDERR = 1024;

/** The decompressed bytes of `input`, compressed with `method`. */
export function decompress(method: string, input: Readable, whence: string): AsyncIterable<Buffer> {
  if (method === 'none') return input;
  const decoder = ZLIB[method];
  if (decoder !== undefined) return throughZlib(decoder(), method, input, whence);
  const tool = TOOLS[method];
  if (tool !== undefined) return throughTool(tool, input, whence);
  throw refused(
    'GENLEDGER_UNSUPPORTED_COMPRESSION',
    `${whence} is compressed with '${method}', which genledger cannot read`,
    'use a cache compressed with none, xz, zstd, bzip2, gzip or br',
  );
}

function undecodable(whence: string, detail: string) {
  return integrityError('GENLEDGER_SUBSTITUTE_FAILED', `cannot decompress ${whence}: ${detail}`, 'the binary cache is damaged or was tampered with');
}

async function* throughZlib(decoder: Transform, method: string, input: Readable, whence: string): AsyncGenerator<Buffer> {
  input.on('error', (error) => decoder.destroy(error));
  input.pipe(decoder);
  try {
    for await (const chunk of decoder as AsyncIterable<Buffer>) yield chunk;
  } catch (error) {
    if (isGenledgerError(error)) throw error;
    throw undecodable(whence, `it is not valid ${method} data`);
  } finally {
    input.destroy();
    decoder.destroy();
  }
}

async function* throughTool(tool: readonly [string, ...string[]], input: Readable, whence: string): AsyncGenerator<Buffer> {
  const [command, ...args] = tool;
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const closed = once(child, 'close').catch(() => undefined);
  const stderr = collectStderr(child);
  try {
    await once(child, 'spawn');
  } catch {
    input.destroy();
    throw refused('GENLEDGER_TOOL_MISSING', `cannot read ${whence}: the '${command}' program is not installed`, `install ${command}, or use an uncompressed cache`);
  }
  // If the tool dies early, writing its stdin fails with EPIPE; the exit status says why.
  const feeding = pipeline(input, child.stdin as NodeJS.WritableStream).then(
    () => undefined,
    (error: unknown) => error,
  );
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) yield chunk;
    await closed;
    const fed = await feeding;
    if (isGenledgerError(fed)) throw fed;
    if (child.exitCode !== 0 || fed !== undefined) {
      throw undecodable(whence, `${command}: ${firstLine(stderr()) || `exit status ${child.exitCode}`}`);
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    input.destroy();
    await closed;
  }
}

function collectStderr(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (text.length < MAX_STDERR) text += chunk.toString('utf8');
  });
  return () => text;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 200) ?? '';
}

/** Writes `xz -c < input > output` (output must not exist) and resolves when the file is complete. */
export async function xzCompressFile(input: string, output: string): Promise<void> {
  const inputFd = openSync(input, 'r');
  const outputFd = openSync(output, 'wx', 0o644);
  try {
    const child = spawn('xz', ['-c'], { stdio: [inputFd, outputFd, 'pipe'] });
    const stderr = collectStderr(child);
    const [code] = (await once(child, 'close').catch(() => [null])) as [number | null];
    if (code !== 0) {
      throw refused(
        'GENLEDGER_COMPRESSION_FAILED',
        `cannot compress '${input}' with xz: ${firstLine(stderr()) || 'is xz installed?'}`,
        'install xz, or write the cache with compression none',
      );
    }
  } finally {
    closeSync(inputFd);
    closeSync(outputFd);
  }
}
