/**
 * Forging bundles for tests: read a bundle's events as objects, change
 * them, and write them back resealed — every hash, prev link and header
 * head recomputed — so a forged bundle passes every integrity check and
 * only the event gate can refuse it. Unsigned, as an attacker without the
 * origin's key would write it.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { streamFileName } from '../../src/app/bundle/bundle-format.js';
import { canonicalJson } from '../../src/ledger/canonical-json.js';
import { eventHash } from '../../src/ledger/event.js';
import type { StoredEvent } from '../../src/ledger/event.js';

export type EventRecord = StoredEvent & Record<string, unknown>;

interface HeaderEntry {
  stream: string;
  file: string;
  version: number;
  hash: string;
}

function readHeader(dir: string): { streams: HeaderEntry[] } & Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8')) as { streams: HeaderEntry[] };
}

export function readBundleEvents(dir: string, stream: string): EventRecord[] {
  return readFileSync(join(dir, 'streams', streamFileName(stream)), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as EventRecord);
}

/**
 * Writes `events` as the bundle's stream `as` (default: `stream`), replacing
 * `stream`: versions renumbered from 1, stream names set, prev and hash
 * recomputed; a `sig` is kept as given.
 */
export function writeResealed(dir: string, stream: string, events: readonly EventRecord[], as = stream): void {
  let prev: string | null = null;
  const lines: string[] = [];
  for (const [index, original] of events.entries()) {
    const event = { ...original, stream: as, version: index + 1, prev } as EventRecord;
    event.hash = eventHash(event);
    lines.push(canonicalJson(event));
    prev = event.hash;
  }
  rmSync(join(dir, 'streams', streamFileName(stream)), { force: true });
  writeFileSync(join(dir, 'streams', streamFileName(as)), `${lines.join('\n')}\n`);
  const header = readHeader(dir);
  header.streams = header.streams.map((entry) => (entry.stream === stream ? { stream: as, file: streamFileName(as), version: lines.length, hash: prev ?? '' } : entry));
  writeFileSync(join(dir, 'bundle.json'), `${JSON.stringify(header, null, 2)}\n`);
}
