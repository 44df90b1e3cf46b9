/**
 * The per-stream half of ledger verification: every stored event value is
 * decoded without throwing, sealed (hash), placed under its own key (order),
 * signed as required, and every stream is a gap-free chain 1..N ending at
 * the version and hash its head records.
 */
import { eventHash, storedEventProblem } from './event.js';
import type { StoredEvent } from './event.js';
import { checkEventSignature } from './event-signer.js';
import type { StreamHead } from './ledger.js';
import { parseEventKey, ranges } from './ledger-keys.js';
import type { LedgerSpace } from './ledger-keys.js';
import { eventProblem } from './ledger-problem.js';
import type { LedgerProblem } from './ledger-problem.js';
import { decodeHead } from './ledger-records.js';
import type { PublicKey } from './nix-key.js';
import { sealHolds } from './stored-seal.js';

export interface EventRecord {
  stream: string;
  version: number;
  /** ok: sound; hash: content changed (hash and prev still as stored); unusable: misplaced or undecodable */
  status: 'ok' | 'hash' | 'unusable';
  hash?: string;
  prev?: string | null;
  id?: string;
  /** The event carries a signature (whether or not it verifies). */
  signed?: boolean;
}

export interface EventScan {
  /** by `placeKey(stream, version)` */
  records: Map<string, EventRecord>;
  problems: LedgerProblem[];
  /** Facts worth a user's attention that are not integrity failures. */
  warnings: string[];
  checked: number;
}

export function placeKey(stream: string, version: number): string {
  return `${stream}\u0000${version}`;
}

export async function scanEvents(space: LedgerSpace, trustedKeys: readonly PublicKey[]): Promise<EventScan> {
  const records = new Map<string, EventRecord>();
  const byStream = new Map<string, EventRecord[]>();
  const problems: LedgerProblem[] = [];
  let checked = 0;
  for await (const [key, text] of space.iterator(ranges.allEvents)) {
    checked += 1;
    const place = parseEventKey(key);
    if (place === null) {
      problems.push({ kind: 'corrupt', message: `the ledger key ${JSON.stringify(key)} is not an event key` });
      continue;
    }
    const record = inspectEvent(place.stream, place.version, text, trustedKeys, problems);
    records.set(placeKey(place.stream, place.version), record);
    const run = byStream.get(place.stream) ?? [];
    run.push(record);
    byStream.set(place.stream, run);
  }
  const heads = new Map<string, string>();
  for await (const [key, text] of space.iterator(ranges.heads)) heads.set(key.slice(ranges.heads.gte.length), text);
  for (const stream of new Set([...byStream.keys(), ...heads.keys()])) {
    checkChain(stream, byStream.get(stream) ?? [], heads.get(stream), problems);
  }
  const warnings = [...byStream].flatMap(([stream, run]) => signingStopped(stream, run));
  return { records, problems, warnings, checked };
}

/**
 * A stream whose events were signed up to some version and are not after
 * it: the signing key was dropped, or someone stripped the signatures. Not
 * an integrity failure by itself (unsigned events are allowed), so a
 * warning; with --trusted-key every unsigned event is a problem anyway.
 */
function signingStopped(stream: string, run: readonly EventRecord[]): string[] {
  const record = run.find((candidate, index) => candidate.signed === false && run[index - 1]?.signed === true);
  return record === undefined ? [] : [`stream '${stream}' stopped being signed at event ${record.version}: earlier events are signed, later ones are not (the key was dropped, or the signatures were stripped)`];
}

function inspectEvent(stream: string, version: number, text: string, trustedKeys: readonly PublicKey[], problems: LedgerProblem[]): EventRecord {
  const unusable: EventRecord = { stream, version, status: 'unusable' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    problems.push(eventProblem('corrupt', stream, version, 'is not valid JSON'));
    return unusable;
  }
  const shape = storedEventProblem(value);
  if (shape !== null) {
    problems.push(eventProblem('corrupt', stream, version, `is malformed: ${shape}`));
    return unusable;
  }
  const event = value as StoredEvent;
  if (event.stream !== stream || event.version !== version) {
    problems.push(eventProblem('order', stream, version, `holds event ${event.version} of stream '${event.stream}' instead`));
    return unusable;
  }
  const sealed = sealHolds(text, event.hash, event.sig, () => eventHash(event));
  if (!sealed) problems.push(eventProblem('hash', stream, version, 'does not match its hash: it was changed after it was written'));
  checkSignature(event, trustedKeys, problems);
  return { stream, version, status: sealed ? 'ok' : 'hash', hash: event.hash, prev: event.prev, id: event.id, signed: event.sig !== undefined };
}

function checkSignature(event: StoredEvent, trustedKeys: readonly PublicKey[], problems: LedgerProblem[]): void {
  const status = checkEventSignature(event, trustedKeys);
  const { stream, version } = event;
  if (status === 'malformed') problems.push(eventProblem('signature', stream, version, `has a malformed signature ${JSON.stringify(event.sig)}`));
  if (status === 'bad') problems.push(eventProblem('signature', stream, version, `has a signature by '${keyName(event)}' that does not verify`));
  if (trustedKeys.length === 0) return;
  if (status === 'unsigned') problems.push(eventProblem('unsigned', stream, version, 'is not signed'));
  if (status === 'untrusted') problems.push(eventProblem('untrusted', stream, version, `is signed by '${keyName(event)}', which is not a trusted key`));
}

function keyName(event: StoredEvent): string {
  return (event.sig ?? '').split(':')[0] ?? '';
}

function checkChain(stream: string, run: readonly EventRecord[], headText: string | undefined, problems: LedgerProblem[]): void {
  let previous: EventRecord | undefined;
  for (const record of run) {
    const expected = (previous?.version ?? 0) + 1;
    for (let version = expected; version < record.version; version++) problems.push(eventProblem('missing', stream, version, 'is missing'));
    const linked = previous !== undefined && previous.version === record.version - 1 && previous.status !== 'unusable' && record.status !== 'unusable';
    if (linked && record.prev !== previous?.hash) problems.push(eventProblem('stream-chain', stream, record.version, 'does not chain to the event before it'));
    previous = record;
  }
  const head = parseHead(headText, stream);
  const last = run[run.length - 1];
  if (head === null) {
    if (last !== undefined) problems.push({ stream, kind: headText === undefined ? 'missing' : 'corrupt', message: `stream '${stream}' has ${headText === undefined ? 'no' : 'a malformed'} head record` });
    return;
  }
  const lastVersion = last?.version ?? 0;
  for (let version = lastVersion + 1; version <= head.version; version++) problems.push(eventProblem('missing', stream, version, 'is missing (the stream head names it)'));
  if (head.version < lastVersion) problems.push({ stream, kind: 'stream-chain', message: `stream '${stream}' has events beyond its head (version ${head.version})` });
  if (head.version === lastVersion && last?.status !== 'unusable' && last?.hash !== head.hash) {
    problems.push({ stream, version: lastVersion, kind: 'stream-chain', message: `the head of stream '${stream}' names another event ${lastVersion} than the stored one` });
  }
}

function parseHead(text: string | undefined, stream: string): StreamHead | null {
  try {
    return decodeHead(text, stream);
  } catch {
    return null;
  }
}
