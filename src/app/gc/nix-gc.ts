/**
 * `gc` on a store a Nix installation keeps: Nix's collector decides and
 * deletes (genledger never deletes from a Nix store itself), and genledger
 * records what it deleted and the bytes it freed as a GarbageCollected
 * event, so the audit trail still says who collected. Nix finds the roots
 * itself: its profiles, gcroots/ (genledger's generation links are
 * registered there as indirect roots), and the running processes.
 *
 * Nix cannot be asked to ignore roots, so the preview of `gc --keep` (a dry
 * run with `removedRoots`) adds to Nix's dead paths those only the removed
 * generation links keep alive, from Nix's roots and reference graph.
 */
import { usageError } from '../../errors.js';
import { freedByRemovingRoots } from '../../projection/removed-roots.js';
import type { NixCollection, NixStore } from '../../store/store.js';
import { envelope } from '../session/event-envelope.js';
import { gcStream } from '../session/bookkeeping-streams.js';
import type { Session } from '../session/session-context.js';
import type { GcOptions, GcRun } from './gc-run.js';
import { referenceGraph } from './root-list.js';

export async function collectThroughNix(session: Session, store: NixStore, options: GcOptions): Promise<GcRun> {
  if (options.deleteUnknown === true) {
    throw usageError('GENLEDGER_BAD_OPTION', '--delete-unknown is for the embedded store; Nix keeps no entries it does not know', 'drop --delete-unknown');
  }
  session.progress.step('collecting garbage through Nix', 0, 1);
  const nixCollection = await store.collectGarbage({ dryRun: options.dryRun, ...(options.maxFreed === undefined ? {} : { maxFreed: options.maxFreed }) });
  const collection = options.dryRun && options.removedRoots !== undefined && options.removedRoots.size > 0
    ? await withRemovedRoots(session, store, nixCollection, options.removedRoots, options.maxFreed)
    : nixCollection;
  const deleted = [...collection.deleted].sort();
  if (!options.dryRun && deleted.length > 0) {
    const head = await session.ledger.head(gcStream);
    const data = { deleted, bytesFreed: collection.bytesFreed, junkRemoved: 0, unknownRemoved: 0, collector: 'nix' };
    await session.ledger.append(gcStream, head?.version ?? 0, [envelope(session.world, session.world.now(), { type: 'GarbageCollected', data }, 1, session.options.reason)]);
  }
  return { dryRun: options.dryRun, deleted, bytes: collection.bytesFreed, removedInterrupted: [], removedTemporary: [], removedUnknown: [], unknown: [] };
}

/**
 * Nix's dry run plus the paths only `removedRoots` keep alive, each counted
 * at its NAR size as Nix's dry run counts; with `maxFreed` they are added
 * only until the bytes reach it, where the collector stops.
 */
async function withRemovedRoots(session: Session, store: NixStore, dry: NixCollection, removedRoots: ReadonlySet<string>, maxFreed: number | undefined): Promise<NixCollection> {
  const roots = await store.gcRoots();
  const graph = await referenceGraph(session, roots.map((root) => root.storePath));
  const deleted = [...dry.deleted];
  const known = new Set(deleted);
  let bytesFreed = dry.bytesFreed;
  for (const { path, narSize } of freedByRemovingRoots(roots, removedRoots, graph)) {
    if (maxFreed !== undefined && bytesFreed >= maxFreed) break;
    if (known.has(path)) continue;
    deleted.push(path);
    bytesFreed += narSize;
  }
  return { deleted, bytesFreed };
}
