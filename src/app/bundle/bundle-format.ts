/**
 * The bundle that carries profile streams, the system stream (and
 * optionally their store paths) to another machine, version 1 or 2:
 *
 *   DIR/bundle.json                 the header (written last)
 *   DIR/streams/<encoded>.ndjson    one file per stream: its events as
 *                                   stored, one canonical JSON per line,
 *                                   version 1 first
 *   DIR/cache/                      a Nix binary cache (export --with-store)
 *
 * A bundle is untrusted input. The header is parsed strictly (unknown
 * fields refused, sizes bounded), and a stream's file name is never taken
 * from it: it must be exactly `streamFileName(stream)`, a percent-encoding
 * that can hold neither `/` nor `..`, so no header can make a reader open a
 * file outside `streams/`. Files the header does not name are ignored.
 *
 * Version 2 adds one optional field to each stream entry, `sig`: the
 * exporter's signature of the head (head-signature.ts). A bundle without
 * signed heads is written as version 1, byte for byte what older genledgers
 * write and read; both versions are read.
 */
import { integrityError } from '../../errors.js';
import type { GenledgerError } from '../../errors.js';
import { sha256Hex } from '../../ledger/event.js';
import { streamNameProblem } from '../../ledger/stream-name.js';
import { posix } from 'node:path';
import { StoreDir } from '../../store/store-path.js';

export const BUNDLE_FORMAT = 'genledger-bundle';
/** The version of a bundle without signed heads, and of one with them. */
export const BUNDLE_VERSION = 1;
export const SIGNED_HEADS_VERSION = 2;
export type BundleVersion = typeof BUNDLE_VERSION | typeof SIGNED_HEADS_VERSION;
export const HEADER_FILE = 'bundle.json';
export const STREAMS_DIR = 'streams';
export const CACHE_DIR = 'cache';

/** What a reader accepts at most: enough for any real profile, small enough to refuse absurd input before reading it. */
export const bundleLimits = {
  headerBytes: 16 * 1024 * 1024,
  streamFileBytes: 256 * 1024 * 1024,
  eventBytes: 16 * 1024 * 1024,
  events: 1_000_000,
  streams: 10_000,
  storePaths: 1_000_000,
} as const;

export interface BundleOrigin {
  readonly host: string;
  readonly user: string;
}

export interface BundleStreamEntry {
  readonly stream: string;
  readonly file: string;
  /** The stream's head: its last version (= its number of events) and that event's hash. */
  readonly version: number;
  readonly hash: string;
  /** Version 2: `keyname:base64`, the exporter's signature of `genledger-head;STREAM;VERSION;HASH`. */
  readonly sig?: string;
}

export interface BundleStore {
  /** Always `cache`: the binary cache inside the bundle. */
  readonly cache: string;
  /** Every store path in the cache: the closure of what the streams reference, dependencies first. */
  readonly paths: readonly string[];
  /** Paths the streams reference that the exporting store no longer had. */
  readonly missing: readonly string[];
}

export interface BundleHeader {
  readonly format: typeof BUNDLE_FORMAT;
  readonly version: BundleVersion;
  readonly origin: BundleOrigin;
  readonly exportedAt: string;
  /** The logical store directory every store path in the events is named for. */
  readonly storeDir: string;
  readonly streams: readonly BundleStreamEntry[];
  readonly store?: BundleStore;
}

const MAX_ENCODED_NAME = 180;
const HEAD_SIGNATURE = /^[^:\s]{1,256}:[A-Za-z0-9+/]{86}==$/;

/**
 * The file of a stream inside `streams/`: every byte outside `[A-Za-z0-9_-]`
 * percent-encoded (so `per-user/alice/profile` is `per-user%2Falice%2Fprofile`),
 * long names cut and suffixed with a digest of the whole name so they stay
 * below every file system's name limit and distinct.
 */
export function streamFileName(stream: string): string {
  const encoded = [...Buffer.from(stream, 'utf8')]
    .map((byte) => (/[A-Za-z0-9_-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
  const name = encoded.length <= MAX_ENCODED_NAME ? encoded : `${encoded.slice(0, 120)}~${sha256Hex(stream).slice(0, 32)}`;
  return `${name}.ndjson`;
}

export function renderHeader(header: BundleHeader): string {
  return `${JSON.stringify(header, null, 2)}\n`;
}

export function badBundle(message: string): GenledgerError {
  return integrityError('GENLEDGER_BAD_BUNDLE', message, 'the bundle is damaged or was tampered with; export it again from the origin');
}

/** Parses and checks a header; `whence` names it in messages. */
export function parseHeader(text: string, whence: string): BundleHeader {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badBundle(`${whence} is not valid JSON`);
  }
  const header = record(value, whence, ['format', 'version', 'origin', 'exportedAt', 'storeDir', 'streams', 'store']);
  if (header.format !== BUNDLE_FORMAT) throw badBundle(`${whence} is not a genledger bundle header (format ${JSON.stringify(header.format)})`);
  if (header.version !== BUNDLE_VERSION && header.version !== SIGNED_HEADS_VERSION) {
    throw badBundle(`${whence} has format version ${JSON.stringify(header.version)}; this genledger reads versions ${BUNDLE_VERSION} and ${SIGNED_HEADS_VERSION} (a newer genledger may read it)`);
  }
  const version: BundleVersion = header.version;
  const origin = record(header.origin, `${whence} origin`, ['host', 'user']);
  const exportedAt = header.exportedAt;
  if (typeof exportedAt !== 'string' || Number.isNaN(Date.parse(exportedAt))) throw badBundle(`${whence} has no valid exportedAt time`);
  if (typeof header.storeDir !== 'string' || !isNormalAbsolute(header.storeDir)) throw badBundle(`${whence} has no normalised absolute storeDir`);
  const storeDir = new StoreDir(header.storeDir);
  if (!Array.isArray(header.streams) || header.streams.length > bundleLimits.streams) {
    throw badBundle(`${whence} streams must be a list of at most ${bundleLimits.streams} entries`);
  }
  const seen = new Set<string>();
  const streams = header.streams.map((entry: unknown, index: number) => {
    const parsed = streamEntry(entry, `${whence} stream ${index + 1}`, version);
    if (seen.has(parsed.stream)) throw badBundle(`${whence} names stream '${parsed.stream}' twice`);
    seen.add(parsed.stream);
    return parsed;
  });
  return {
    format: BUNDLE_FORMAT,
    version,
    origin: { host: shortText(origin.host, `${whence} origin host`), user: shortText(origin.user, `${whence} origin user`) },
    exportedAt,
    storeDir: header.storeDir,
    streams,
    ...(header.store === undefined ? {} : { store: storeEntry(header.store, `${whence} store`, storeDir) }),
  };
}

function streamEntry(value: unknown, whence: string, version: BundleVersion): BundleStreamEntry {
  const entry = record(value, whence, version === SIGNED_HEADS_VERSION ? ['stream', 'file', 'version', 'hash', 'sig'] : ['stream', 'file', 'version', 'hash']);
  const stream = entry.stream;
  if (typeof stream !== 'string') throw badBundle(`${whence} has no stream name`);
  const problem = streamNameProblem(stream);
  if (problem !== null) throw badBundle(`${whence}: the stream name ${JSON.stringify(stream)} ${problem}`);
  if (entry.file !== streamFileName(stream)) {
    throw badBundle(`${whence} names the file ${JSON.stringify(entry.file)} for stream '${stream}'; a bundle stores it as '${streamFileName(stream)}'`);
  }
  if (!Number.isSafeInteger(entry.version) || (entry.version as number) < 1) throw badBundle(`${whence} has no head version >= 1`);
  if (typeof entry.hash !== 'string' || !/^[0-9a-f]{64}$/.test(entry.hash)) throw badBundle(`${whence} has no head hash`);
  if (entry.sig !== undefined && (typeof entry.sig !== 'string' || !HEAD_SIGNATURE.test(entry.sig))) {
    throw badBundle(`${whence} has a head signature that is not 'keyname:base64' of 64 bytes`);
  }
  return { stream, file: entry.file, version: entry.version as number, hash: entry.hash, ...(entry.sig === undefined ? {} : { sig: entry.sig }) };
}

function storeEntry(value: unknown, whence: string, storeDir: StoreDir): BundleStore {
  const store = record(value, whence, ['cache', 'paths', 'missing']);
  if (store.cache !== CACHE_DIR) throw badBundle(`${whence} names the cache ${JSON.stringify(store.cache)}, not '${CACHE_DIR}'`);
  return { cache: CACHE_DIR, paths: paths(store.paths, `${whence} paths`, storeDir), missing: paths(store.missing, `${whence} missing`, storeDir) };
}

function paths(value: unknown, whence: string, storeDir: StoreDir): string[] {
  if (!Array.isArray(value) || value.length > bundleLimits.storePaths || !value.every((path) => typeof path === 'string' && storeDir.isStorePath(path))) {
    throw badBundle(`${whence} must be a list of store paths in ${storeDir.path}`);
  }
  return value as string[];
}

function record(value: unknown, whence: string, fields: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badBundle(`${whence} is not a JSON object`);
  const unknown = Object.keys(value).find((key) => !fields.includes(key));
  if (unknown !== undefined) throw badBundle(`${whence} has an unknown field '${unknown}'`);
  return value as Record<string, unknown>;
}

function shortText(value: unknown, whence: string): string {
  if (typeof value !== 'string' || value.length > 1024) throw badBundle(`${whence} is not a string`);
  return value;
}

function isNormalAbsolute(path: string): boolean {
  return path.startsWith('/') && path.length > 1 && posix.normalize(path) === path && !path.endsWith('/');
}
