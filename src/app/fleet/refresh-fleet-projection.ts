/**
 * Keeps the fleet's derived tables derivable: every stream whose rows lag
 * its events is brought up to date under the host's lock (so two pushers
 * of one host refresh one after the other). The fold goes on from the
 * stream's stored fold with only the events after it, taken from `known`
 * (the events a pusher has in memory) when they reach the stream's head,
 * else read from the database; it starts again from the first event only
 * when no fold of this build is stored or the events do not follow it.
 * `fleet push` runs it for its host after the last batch, `fleet init` for
 * every host; a push killed before it leaves the rows behind, and the next
 * push or init catches up. `projectionProblems` is `fleet verify`'s check:
 * the stored rows, and a stored fold of this build, must equal a fresh fold.
 */
import { isDeepStrictEqual } from 'node:util';
import { noFaults } from '../../fault-injection.js';
import type { FaultInjector } from '../../fault-injection.js';
import type { StoredEvent } from '../../ledger/event.js';
import type { FleetConnection } from '../../fleet/fleet-connection.js';
import { fleetHeads, lockHost } from '../../fleet/fleet-event-store.js';
import type { FleetHead } from '../../fleet/fleet-event-store.js';
import { allStreams, readFold, readProjection, staleStreams, streamEnvelopes, writeProjection } from '../../fleet/fleet-projection-store.js';
import type { StreamKey } from '../../fleet/fleet-projection-store.js';
import { continues, foldBuild, projectStream } from './fleet-projection.js';
import type { StreamFold, StreamProjection } from './fleet-projection.js';
import type { FleetProblem } from './fleet-chain-check.js';

/** Per stream of one host, a run of its events in version order (a pusher's home events). */
export type KnownEvents = ReadonlyMap<string, readonly StoredEvent[]>;

export interface RefreshOptions {
  /** Only for a `host`'s refresh. */
  readonly known?: KnownEvents;
  /** Only for a `host`'s refresh: streams folded from their first event (folds-meanwhile.ts), used when the fleet's head is theirs. */
  readonly folded?: ReadonlyMap<string, StreamProjection>;
  /** `fleet-during-refresh` is reached once per stream, its rows written but not committed. */
  readonly faults?: FaultInjector;
}

/** Refreshes the stale streams of `host` (null: of every host); returns how many. */
export async function refreshFleetProjection(
  connection: FleetConnection,
  host: string | null,
  { known = new Map(), folded = new Map(), faults = noFaults }: RefreshOptions = {},
): Promise<number> {
  const stale = await staleStreams(connection, host);
  for (const key of stale) {
    await connection.transaction(async (tx) => {
      await lockHost(tx, key.host);
      // Under the lock: another pusher of the host may have moved the stream on meanwhile.
      const head = (await fleetHeads(tx, key.host, [key.stream])).get(key.stream);
      if (head !== undefined) await refreshStream(tx, key, head, known.get(key.stream) ?? [], folded.get(key.stream));
      faults.reach('fleet-during-refresh');
    });
  }
  return stale.length;
}

async function refreshStream(connection: FleetConnection, key: StreamKey, head: FleetHead, known: readonly StoredEvent[], folded: StreamProjection | undefined): Promise<void> {
  const stored = storedFold(await readFold(connection, key));
  if (stored !== null && stored.version === head.version && stored.hash === head.hash) return;
  const from = stored !== null && stored.build === foldBuild && stored.version < head.version ? stored : null;
  if (from === null && folded !== undefined && folded.fold.version === head.version && folded.fold.hash === head.hash) {
    await writeProjection(connection, folded, folded.fold, null);
    return;
  }
  const after = from?.version ?? 0;
  const events = knownAfter(known, after, head) ?? (await readEvents(connection, key, after));
  if (from !== null && continues(from, events)) {
    const projection = projectStream(key.host, key.stream, events, from);
    await writeProjection(connection, projection, projection.fold, from.version);
  } else {
    const all = from === null ? events : await readEvents(connection, key, 0);
    const projection = projectStream(key.host, key.stream, all);
    await writeProjection(connection, projection, projection.fold, null);
  }
}

/** The known events after version `after` when they run up to the fleet's head exactly, else null. */
function knownAfter(known: readonly StoredEvent[], after: number, head: FleetHead): readonly StoredEvent[] | null {
  const first = known[0];
  const last = known[known.length - 1];
  if (first === undefined || last === undefined || first.version > after + 1 || last.version !== head.version || last.hash !== head.hash) return null;
  return known.slice(after + 1 - first.version);
}

async function readEvents(connection: FleetConnection, key: StreamKey, after: number): Promise<StoredEvent[]> {
  return (await streamEnvelopes(connection, key, after)).map((text) => JSON.parse(text) as StoredEvent);
}

/** A stored fold, or null when there is none or it is not one (a fold of any build has these three). */
function storedFold(value: unknown): StreamFold | null {
  if (typeof value !== 'object' || value === null) return null;
  const fold = value as Partial<StreamFold>;
  return typeof fold.build === 'string' && Number.isInteger(fold.version) && typeof fold.hash === 'string' ? (fold as StreamFold) : null;
}

/** One line per stream whose stored rows, or stored fold of this build, differ from a fresh fold of its events. */
export async function projectionProblems(connection: FleetConnection): Promise<FleetProblem[]> {
  const problems: FleetProblem[] = [];
  for (const key of await allStreams(connection)) {
    const stored = await readProjection(connection, key);
    const { fold, ...fresh } = sorted(projectStream(key.host, key.stream, await readEvents(connection, key, 0)));
    const storedFoldValue = storedFold(await readFold(connection, key));
    const foldDiffers = storedFoldValue !== null && storedFoldValue.build === foldBuild && !sameJson(storedFoldValue, fold);
    if (stored === null || !sameJson(stored, fresh) || foldDiffers) {
      const version = fresh.version;
      problems.push({ ...key, version, kind: 'projection', message: `host '${key.host}' stream '${key.stream}': the query tables do not match its events (genledger fleet init rebuilds them)` });
    }
  }
  return problems;
}

function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

/** In the order readProjection reads the rows. */
function sorted(projection: StreamProjection): StreamProjection {
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const instant = (text: string | null) => (text === null ? null : new Date(text).toISOString());
  return {
    ...projection,
    lastAt: new Date(projection.lastAt).toISOString(),
    since: instant(projection.since),
    paths: [...projection.paths].sort((a, b) => byText(a.element, b.element) || byText(a.storePath, b.storePath)),
    touches: [...projection.touches].sort((a, b) => a.version - b.version || a.generation - b.generation || byText(a.name, b.name) || byText(a.change, b.change)),
  };
}
