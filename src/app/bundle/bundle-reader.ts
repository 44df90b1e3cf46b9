/**
 * Reading a bundle (bundle-format.ts) without trusting it. Everything is
 * checked before a caller can act on it: the header; each stream file's
 * size before it is read, its UTF-8, one canonical JSON event per line,
 * each event's shape, stream, version and hash, the chain from version 1,
 * and the head the header announces; event ids unique across the bundle;
 * and, given trusted keys, each stream vouched for by one of them: its
 * head signed (the chain below it is then the signer's, event by event
 * signed or not, though a signature an event does carry must not fail),
 * or else a valid signature on every event. Any break is
 * an integrity error (exit 4) naming what broke.
 *
 * Files are opened without following symbolic links and must be regular,
 * so a bundle cannot make the reader block on a FIFO or read a device.
 */
import { join } from 'node:path';
import { integrityError, refused } from '../../errors.js';
import { canonicalJson } from '../../ledger/canonical-json.js';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from '../../ledger/json-depth.js';
import { eventHash, storedEventProblem } from '../../ledger/event.js';
import type { StoredEvent } from '../../ledger/event.js';
import { checkEventSignature } from '../../ledger/event-signer.js';
import type { SignatureStatus } from '../../ledger/event-signer.js';
import { checkHeadSignature, signatureKeyName } from '../../ledger/head-signature.js';
import type { PublicKey } from '../../ledger/nix-key.js';
import { readBoundedFile } from '../../fsx/read-bounded-file.js';
import { fileSystemError } from '../../store/file-system-error.js';
import { invalidEvent } from './imported-event-check.js';
import { badBundle, bundleLimits, CACHE_DIR, HEADER_FILE, parseHeader, STREAMS_DIR } from './bundle-format.js';
import type { BundleHeader, BundleStreamEntry } from './bundle-format.js';

export interface Bundle {
  readonly dir: string;
  readonly header: BundleHeader;
  /** Each stream's events, version 1 first, exactly as the origin stored them. */
  readonly events: ReadonlyMap<string, readonly StoredEvent[]>;
  /** The bundle's binary cache directory, when it has one. */
  readonly cacheDir: string | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function readBundle(dir: string, trustedKeys: readonly PublicKey[]): Bundle {
  const headerBytes = readBundleFile(join(dir, HEADER_FILE), bundleLimits.headerBytes, HEADER_FILE);
  if (headerBytes === null) {
    throw refused('GENLEDGER_NOT_A_BUNDLE', `${dir} is not a genledger bundle: it has no ${HEADER_FILE}`, 'name a directory written by genledger export --to DIR');
  }
  const header = parseHeader(decode(headerBytes, HEADER_FILE), HEADER_FILE);
  const events = new Map<string, readonly StoredEvent[]>();
  const ids = new Map<string, string>();
  let count = 0;
  for (const entry of header.streams) {
    const whence = `${STREAMS_DIR}/${entry.file}`;
    const bytes = readBundleFile(join(dir, STREAMS_DIR, entry.file), bundleLimits.streamFileBytes, whence);
    if (bytes === null) throw badBundle(`${whence}, the events of stream '${entry.stream}', is missing`);
    const stream = parseStreamFile(decode(bytes, whence), entry, whence);
    count += stream.length;
    if (count > bundleLimits.events) throw badBundle(`the bundle holds more than ${bundleLimits.events} events`);
    for (const event of stream) {
      const other = ids.get(event.id);
      if (other !== undefined) throw badBundle(`event id '${event.id}' appears twice in the bundle (${other} and event ${event.version} of '${entry.stream}')`);
      ids.set(event.id, `event ${event.version} of '${entry.stream}'`);
    }
    if (trustedKeys.length > 0) checkVouched(entry, stream, trustedKeys);
    events.set(entry.stream, stream);
  }
  const cacheDir = header.store === undefined ? null : join(dir, CACHE_DIR);
  return { dir, header, events, cacheDir };
}

function parseStreamFile(text: string, entry: BundleStreamEntry, whence: string): StoredEvent[] {
  if (!text.endsWith('\n')) throw badBundle(`${whence} does not end with a newline: it was cut short`);
  const events: StoredEvent[] = [];
  for (const [index, line] of text.slice(0, -1).split('\n').entries()) {
    const where = `${whence} line ${index + 1}`;
    if (Buffer.byteLength(line) > bundleLimits.eventBytes) throw badBundle(`${where} is longer than ${bundleLimits.eventBytes} bytes`);
    if (jsonNestsDeeperThan(line, MAX_JSON_DEPTH)) throw invalidEvent(entry.stream, index + 1, `its JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
    const event = parseEventLine(line, where);
    const expected = index + 1;
    if (event.stream !== entry.stream) throw badBundle(`${where} is an event of stream '${event.stream}', not '${entry.stream}'`);
    if (event.version !== expected) throw badBundle(`${where} is event version ${event.version}, not ${expected}: an event was dropped, added or moved`);
    if (eventHash(event) !== event.hash) throw badBundle(`${where} (event ${expected} of '${entry.stream}') does not match its hash: it was changed after it was written`);
    const previous = events[events.length - 1];
    if (event.prev !== (previous?.hash ?? null)) throw badBundle(`${where} (event ${expected} of '${entry.stream}') does not chain to the event before it`);
    events.push(event);
  }
  const head = events[events.length - 1];
  if (head?.version !== entry.version || head.hash !== entry.hash) {
    throw badBundle(`stream '${entry.stream}' ends at version ${head?.version ?? 0}, but the header says version ${entry.version} with hash ${entry.hash.slice(0, 12)}…`);
  }
  return events;
}

function parseEventLine(line: string, where: string): StoredEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw badBundle(`${where} is not a JSON event`);
  }
  const problem = storedEventProblem(value);
  if (problem !== null) throw badBundle(`${where} is not a well-formed event: ${problem}`);
  // Events travel in the canonical form they were hashed and stored in; anything else was edited.
  if (canonicalJson(value) !== line) throw badBundle(`${where} is not in canonical form`);
  return value as StoredEvent;
}

const signatureProblems: Record<Exclude<SignatureStatus, 'valid'>, string> = {
  unsigned: 'not signed',
  untrusted: 'not signed by a trusted key',
  bad: 'signed with a signature that does not verify',
  malformed: 'signed with a malformed signature',
};

const HINT = "a stream must have its head signed by a --trusted-key (export --sign-key), or every event signed by one; check the key, or import without --trusted-key if you trust the bundle otherwise";

/**
 * A signed head vouches for the whole stream, since parseStreamFile has
 * checked every hash and link from that head down to version 1. A head
 * signature that does not verify is tampering and refuses the stream; one
 * by a key that is not trusted says nothing, so the events must then be
 * signed one by one.
 */
function checkVouched(entry: BundleStreamEntry, events: readonly StoredEvent[], trustedKeys: readonly PublicKey[]): void {
  const head = checkHeadSignature(entry, entry.sig, trustedKeys);
  if (head === 'valid') {
    // An event's own sig lies outside its hash, so the head does not cover it: one that fails was tampered with.
    for (const event of events) {
      const status = checkEventSignature(event, trustedKeys);
      if (status === 'bad' || status === 'malformed') throw integrityError('GENLEDGER_BAD_SIGNATURE', `event ${event.version} of '${event.stream}' in the bundle is ${signatureProblems[status]}`, HINT);
    }
    return;
  }
  if (head === 'bad' || head === 'malformed') {
    throw integrityError('GENLEDGER_BAD_SIGNATURE', `the head of '${entry.stream}' (version ${entry.version}) in the bundle is ${signatureProblems[head]}`, HINT);
  }
  const untrustedHead = head === 'untrusted' && entry.sig !== undefined ? `, and its head is signed by '${signatureKeyName(entry.sig)}', which is not a --trusted-key` : ', and its head is not signed';
  for (const event of events) {
    const status = checkEventSignature(event, trustedKeys);
    if (status === 'valid') continue;
    throw integrityError('GENLEDGER_BAD_SIGNATURE', `event ${event.version} of '${event.stream}' in the bundle is ${signatureProblems[status]}${untrustedHead}`, HINT);
  }
}

function decode(bytes: Buffer, whence: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw badBundle(`${whence} is not valid UTF-8`);
  }
}

/** The bytes of a regular file of at most `max` bytes, or null when there is none. */
function readBundleFile(path: string, max: number, whence: string): Buffer | null {
  try {
    return readBoundedFile(path, { max, refuse: (problem) => badBundle(`${whence} ${problem}`) });
  } catch (error) {
    throw fileSystemError(error, path);
  }
}
