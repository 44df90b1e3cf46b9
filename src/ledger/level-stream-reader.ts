/**
 * Reading one stream, re-checking as it goes: from the requested version on
 * every event is present (no gap up to the stream head), sealed, under its
 * own key and chained to the event before it, and the last one is the
 * event the head names. The first problem throws; nothing is skipped.
 */
import type { StoredEvent } from './event.js';
import type { StoredRecord, StreamHead } from './ledger.js';
import { keys, ranges } from './ledger-keys.js';
import type { LedgerSpace } from './ledger-keys.js';
import { corruptEvent, decodeEvent, decodeHead } from './ledger-records.js';

export async function readStreamEvents(space: LedgerSpace, stream: string, fromVersion: number): Promise<StoredEvent[]> {
  return (await readStreamRecords(space, stream, fromVersion)).map(({ event }) => event);
}

/** The same run of events, each with the text the ledger stored for it. */
export async function readStreamRecords(space: LedgerSpace, stream: string, fromVersion: number): Promise<StoredRecord[]> {
  const head = decodeHead(await space.get(keys.head(stream)), stream);
  const entries = await space.iterator({ gte: keys.event(stream, fromVersion), lt: ranges.stream(stream).lt }).all();
  return verifiedRun(stream, fromVersion, entries, head);
}

function verifiedRun(stream: string, fromVersion: number, entries: readonly (readonly [string, string])[], head: StreamHead | null): StoredRecord[] {
  const records: StoredRecord[] = [];
  for (const [index, [key, text]] of entries.entries()) {
    const version = fromVersion + index;
    if (key !== keys.event(stream, version)) throw corruptEvent({ stream, version }, 'is missing');
    const event = decodeEvent(text, { stream, version });
    const previous = records[index - 1]?.event;
    if (previous !== undefined && event.prev !== previous.hash) throw corruptEvent({ stream, version }, 'does not chain to the event before it');
    records.push({ event, text });
  }
  const lastVersion = fromVersion + records.length - 1;
  const headVersion = head?.version ?? 0;
  if (headVersion > lastVersion && headVersion >= fromVersion) throw corruptEvent({ stream, version: lastVersion + 1 }, 'is missing');
  if (headVersion < lastVersion) throw corruptEvent({ stream, version: lastVersion }, `lies beyond the stream head (version ${headVersion})`);
  const last = records[records.length - 1]?.event;
  if (last !== undefined && last.hash !== head?.hash) throw corruptEvent({ stream, version: lastVersion }, 'is not the event the stream head names');
  return records;
}
