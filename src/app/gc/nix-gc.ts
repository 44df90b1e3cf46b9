/**
 * `gc` on a store a Nix installation keeps: Nix's collector decides and
 * deletes (genledger never deletes from a Nix store itself), and genledger
 * records what it deleted and the bytes it freed as a GarbageCollected
 * event, so the audit trail still says who collected. Nix finds the roots
 * itself: its profiles, gcroots/ (genledger's generation links are
 * registered there as indirect roots), and the running processes.
 */
import { usageError } from '../../errors.js';
import type { NixStore } from '../../store/store.js';
import { envelope } from '../session/event-envelope.js';
import { gcStream } from '../session/bookkeeping-streams.js';
import type { Session } from '../session/session-context.js';
import type { GcOptions, GcRun } from './gc-run.js';

export async function collectThroughNix(session: Session, store: NixStore, options: GcOptions): Promise<GcRun> {
  if (options.deleteUnknown === true) {
    throw usageError('GENLEDGER_BAD_OPTION', '--delete-unknown is for the embedded store; Nix keeps no entries it does not know', 'drop --delete-unknown');
  }
  session.progress.step('collecting garbage through Nix', 0, 1);
  const collection = await store.collectGarbage({ dryRun: options.dryRun, ...(options.maxFreed === undefined ? {} : { maxFreed: options.maxFreed }) });
  const deleted = [...collection.deleted].sort();
  if (!options.dryRun && deleted.length > 0) {
    const head = await session.ledger.head(gcStream);
    const data = { deleted, bytesFreed: collection.bytesFreed, junkRemoved: 0, unknownRemoved: 0, collector: 'nix' };
    await session.ledger.append(gcStream, head?.version ?? 0, [envelope(session.world, session.world.now(), { type: 'GarbageCollected', data }, 1, session.options.reason)]);
  }
  return { dryRun: options.dryRun, deleted, bytes: collection.bytesFreed, removedInterrupted: [], removedTemporary: [], removedUnknown: [], unknown: [] };
}
