/**
 * The ledger as a command uses it: before any append or import, the store
 * records staged by this command are committed (their contents synced
 * first, see the Store port), so an event never reaches the disk before the
 * store paths it names. The records go without LevelDB's own sync: the
 * append that follows is synced and comes after them in LevelDB's log, so
 * it carries them to stable storage too. From its first append or import
 * on, a command stopped by a signal has recorded events for the next
 * command to finish (interruption.ts: `pending`).
 */
import type { Interruption } from '../../interruption.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { Store } from '../../store/store.js';

export function storeFirstLedger(ledger: Ledger, store: Pick<Store, 'commit'>, interruption?: Interruption): Ledger {
  return {
    append: async (stream, expectedVersion, events) => {
      await store.commit({ sync: false });
      if (interruption !== undefined) interruption.pending = true;
      return ledger.append(stream, expectedVersion, events);
    },
    importEvents: async (stream, events) => {
      await store.commit({ sync: false });
      if (interruption !== undefined) interruption.pending = true;
      return ledger.importEvents(stream, events);
    },
    readStream: (stream, fromVersion, options) => ledger.readStream(stream, fromVersion, options),
    readStreamRecords: (stream, fromVersion) => ledger.readStreamRecords(stream, fromVersion),
    readLog: (options) => ledger.readLog(options),
    readLogAt: (seqs, options) => ledger.readLogAt(seqs, options),
    head: (stream) => ledger.head(stream),
    streams: () => ledger.streams(),
    lastSeq: () => ledger.lastSeq(),
  };
}
