/**
 * Keeps the fleet's derived tables derivable: every stream whose rows lag
 * its events is folded again from its events and its rows replaced, under
 * the host's lock (so two pushers of one host refresh one after the
 * other). `fleet push` runs it for its host after the last batch, `fleet
 * init` for every host; a push killed before it leaves the rows behind,
 * and the next push or init catches up. `projectionProblems` is `fleet
 * verify`'s check: the stored rows must equal a fresh fold.
 */
import { isDeepStrictEqual } from 'node:util';
import type { StoredEvent } from '../../ledger/event.js';
import type { FleetConnection } from '../../fleet/fleet-connection.js';
import { lockHost } from '../../fleet/fleet-event-store.js';
import { allStreams, readProjection, staleStreams, streamEnvelopes, writeProjection } from '../../fleet/fleet-projection-store.js';
import type { StreamKey } from '../../fleet/fleet-projection-store.js';
import { projectStream } from './fleet-projection.js';
import type { StreamProjection } from './fleet-projection.js';
import type { FleetProblem } from './fleet-chain-check.js';

/** Refreshes the stale streams of `host` (null: of every host); returns how many. */
export async function refreshFleetProjection(connection: FleetConnection, host: string | null): Promise<number> {
  const stale = await staleStreams(connection, host);
  for (const key of stale) {
    await connection.transaction(async (tx) => {
      await lockHost(tx, key.host);
      await writeProjection(tx, await freshProjection(tx, key));
    });
  }
  return stale.length;
}

/** One line per stream whose stored rows differ from a fresh fold of its events. */
export async function projectionProblems(connection: FleetConnection): Promise<FleetProblem[]> {
  const problems: FleetProblem[] = [];
  for (const key of await allStreams(connection)) {
    const stored = await readProjection(connection, key);
    const fresh = sorted(await freshProjection(connection, key));
    if (stored === null || !isDeepStrictEqual(JSON.parse(JSON.stringify(stored)), JSON.parse(JSON.stringify(fresh)))) {
      const version = fresh.version;
      problems.push({ ...key, version, kind: 'projection', message: `host '${key.host}' stream '${key.stream}': the query tables do not match its events (genledger fleet init rebuilds them)` });
    }
  }
  return problems;
}

async function freshProjection(connection: FleetConnection, key: StreamKey): Promise<StreamProjection> {
  const events = (await streamEnvelopes(connection, key)).map((text) => JSON.parse(text) as StoredEvent);
  return projectStream(key.host, key.stream, events);
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
