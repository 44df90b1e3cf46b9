/**
 * The query tables' folds of a push, computed while its batches are in the
 * database's hands: the client waits on the network for most of a batch,
 * and folding a big home's streams is a second of CPU that the refresh
 * would otherwise add after the last batch.
 *
 * Only streams the fleet held nothing of are folded here, from their first
 * event: such a fold is fixed by the stream's head alone (the hash chain
 * fixes every event before it), so the refresh may write it for any fleet
 * head with the same version and hash, and folds anything else itself. One
 * stream is folded per turn of the event loop, so a batch's answer is
 * never kept waiting for more than one stream's fold.
 */
import type { FleetHead } from '../../fleet/fleet-event-store.js';
import { projectStream } from './fleet-projection.js';
import type { StreamProjection } from './fleet-projection.js';
import type { KnownEvents } from './refresh-fleet-projection.js';

export interface FoldsMeanwhile {
  /** Resolves with the folds made, by stream, once every stream is folded or `stop` was called. */
  readonly done: Promise<ReadonlyMap<string, StreamProjection>>;
  /** Folds no more streams (the push failed). */
  stop(): void;
}

export function foldMeanwhile(host: string, home: KnownEvents, heads: ReadonlyMap<string, FleetHead>): FoldsMeanwhile {
  let stopped = false;
  const fold = async () => {
    const folds = new Map<string, StreamProjection>();
    for (const [stream, events] of home) {
      if (heads.has(stream) || events[0]?.version !== 1) continue;
      await new Promise((resolve) => setImmediate(resolve));
      if (stopped) break;
      try {
        folds.set(stream, projectStream(host, stream, events));
      } catch {
        // The refresh folds this stream again and reports what is wrong with it there.
      }
    }
    return folds;
  };
  return { done: fold(), stop: () => void (stopped = true) };
}
