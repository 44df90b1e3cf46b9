/**
 * `log --package NAME`: the events that touched a package, oldest first,
 * in one profile or in all of them, read through the package index (a few
 * key ranges and one point read of the log for all the events) instead of
 * the whole log.
 */
import type { LogRecord } from '../../ledger/ledger.js';
import { PackageIndex } from './package-index.js';
import type { IndexedTouch } from './package-index.js';
import { listProfileStreams } from '../profile/profile-streams.js';
import type { Session } from '../session/session-context.js';

export async function packageLog(session: Session, name: string, stream: string | undefined): Promise<LogRecord[]> {
  const index = new PackageIndex(session.database.db, session.ledger);
  return index.read(async () => {
    const touches = new Map<number, IndexedTouch>();
    for (const each of stream === undefined ? await listProfileStreams(session.ledger) : [stream]) {
      for (const touch of await index.touches(each, name)) touches.set(touch.seq, touch);
    }
    const ordered = [...touches.values()].sort((a, b) => a.seq - b.seq);
    return (await index.withEvents(ordered)).map(({ touch, event }) => ({ seq: touch.seq, event }));
  });
}
