/**
 * `log --package NAME`: the events that touched a package, oldest first,
 * in one profile or in all of them, read through the package index (a few
 * key ranges and one log read per event) instead of the whole log.
 */
import type { LogRecord } from '../ledger/ledger.js';
import { PackageIndex } from './package-index.js';
import type { IndexedTouch } from './package-index.js';
import { listProfileStreams } from './profile-streams.js';
import type { Session } from './session.js';

export async function packageLog(session: Session, name: string, stream: string | undefined): Promise<LogRecord[]> {
  const index = new PackageIndex(session.database.db, session.ledger);
  return index.read(async () => {
    const touches = new Map<number, IndexedTouch>();
    for (const each of stream === undefined ? await listProfileStreams(session.ledger) : [stream]) {
      for (const touch of await index.touches(each, name)) touches.set(touch.seq, touch);
    }
    const records: LogRecord[] = [];
    for (const touch of [...touches.values()].sort((a, b) => a.seq - b.seq)) records.push({ seq: touch.seq, event: await index.event(touch) });
    return records;
  });
}
