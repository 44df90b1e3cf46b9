/**
 * `fleet push`: sends every event of this home the fleet database lacks,
 * verbatim, under one origin host name. The resume point comes from the
 * database alone (per stream: highest version and hash), so a push killed
 * or cut off at any point is finished by running it again, and a push with
 * nothing new appends nothing. The home's database is held only while its
 * events are read; the network part runs without the home's lock.
 *
 * Each batch is one transaction that first takes the host's advisory lock
 * and re-reads the heads of its streams: a second pusher of the same host
 * waits for the first, then skips what that one sent. The unique key
 * (host, stream, version) and the prev-link trigger stay the last word.
 */
import type { FaultInjector } from '../../fault-injection.js';
import type { StoredRecord } from '../../ledger/ledger.js';
import { fleetHeads, insertEvents, lockHost } from '../../fleet/fleet-event-store.js';
import type { FleetHead, OutgoingEvent } from '../../fleet/fleet-event-store.js';
import { openFleet } from '../../fleet/open-fleet.js';
import type { FleetUrl } from '../../fleet/fleet-url.js';
import type { Session } from '../session/session-context.js';
import { foldMeanwhile } from './folds-meanwhile.js';
import { refreshFleetProjection } from './refresh-fleet-projection.js';
import { checkedEvents, planPush, unsentPart } from './push-plan.js';
import type { StreamPush } from './push-plan.js';

export interface PushOptions {
  readonly url: FleetUrl;
  readonly host: string;
  readonly batchSize: number;
  readonly faults: FaultInjector;
  /** Called after each committed batch with the events sent so far and in all. */
  readonly progress: (sent: number, total: number) => void;
}

export interface PushResult {
  readonly host: string;
  readonly pushed: number;
  readonly streams: readonly StreamPush[];
}

type WithHome = <T>(read: (session: Session) => Promise<T>) => Promise<T>;

export async function pushFleet(withHome: WithHome, options: PushOptions): Promise<PushResult> {
  const { host } = options;
  const fleet = await openFleet(options.url);
  let stopFolding: () => void = () => undefined;
  try {
    const heads = await fleetHeads(fleet, host);
    options.faults.reach('fleet-after-heads');
    const records = await withHome((session) => readHome(session, heads));
    const home = new Map([...records].map(([stream, read]) => [stream, read.map(({ event }) => event)]));
    options.faults.reach('fleet-after-home');
    const plan = planPush(host, home, heads);
    const total = plan.reduce((sum, { from, to }) => sum + to - from, 0);
    const events = checkedEvents(plan, records, heads);
    const folding = foldMeanwhile(host, home, heads);
    stopFolding = folding.stop;
    let pushed = 0;
    let next = await cutBatch(events, options.batchSize);
    while (!next.failed && next.batch.length > 0) {
      const batch = next.batch;
      pushed += await fleet.transaction(async (tx) => {
        await lockHost(tx, host);
        const unsent = unsentPart(host, batch, await fleetHeads(tx, host, [...new Set(batch.map(({ event }) => event.stream))]));
        const inserting = insertEvents(tx, host, unsent);
        // Handled below, after the check; without this a failure meanwhile would count as unhandled.
        inserting.catch(() => undefined);
        // The batch is on its way: check the next one while the database inserts this one.
        next = await cutBatch(events, options.batchSize);
        await inserting;
        options.faults.reach('fleet-before-commit');
        return unsent.length;
      });
      options.faults.reach('fleet-after-batch');
      options.progress(pushed, total);
    }
    if (next.failed) throw next.error;
    if (total === 0) await fleet.transaction((tx) => insertEvents(tx, host, []));
    options.faults.reach('fleet-before-refresh');
    await refreshFleetProjection(fleet, host, { known: home, folded: await folding.done, faults: options.faults });
    return { host, pushed, streams: plan };
  } finally {
    stopFolding();
    await fleet.close();
  }
}

type Cut = { failed: false; batch: OutgoingEvent[] } | { failed: true; error: unknown };

/**
 * The next `size` checked events, or the failed check. It gives way to the
 * event loop now and then, so the batch being sent meanwhile keeps
 * flowing to the database instead of waiting for the whole check.
 */
async function cutBatch(events: Iterator<OutgoingEvent>, size: number): Promise<Cut> {
  const batch: OutgoingEvent[] = [];
  try {
    for (let next = events.next(); next.done !== true; next = events.next()) {
      batch.push(next.value);
      if (batch.length === size) break;
      if (batch.length % 256 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return { failed: false, batch };
  } catch (error) {
    return { failed: true, error };
  }
}

/**
 * Every stream of the home, from the fleet's head version on (that event
 * is compared, not sent), each event with the text the home stored for it.
 * The streams are read at once: LevelDB reads in its own thread while the
 * events already read are decoded and checked here.
 */
async function readHome(session: Session, heads: ReadonlyMap<string, FleetHead>): Promise<Map<string, StoredRecord[]>> {
  const streams = [...new Set([...(await session.ledger.streams()), ...heads.keys()])];
  const read = await Promise.all(
    streams.map(async (stream) => ((await session.ledger.head(stream)) === null ? [] : session.ledger.readStreamRecords(stream, heads.get(stream)?.version ?? 1))),
  );
  return new Map(streams.map((stream, index) => [stream, read[index] ?? []]));
}
