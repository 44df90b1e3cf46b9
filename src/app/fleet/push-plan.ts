/**
 * What `fleet push` sends, decided from the home's streams and where the
 * fleet database stands for this host, before anything is written:
 * every stream is checked first, so a diverged stream (the fleet's event at
 * its highest version is not the home's) or a broken chain in the home
 * refuses the whole push. The outgoing events continue each fleet chain:
 * every hash recomputed, every prev the hash before it.
 */
import { integrityError, refused } from '../../errors.js';
import { canonicalJson } from '../../ledger/canonical-json.js';
import { eventHash } from '../../ledger/event.js';
import type { StoredEvent } from '../../ledger/event.js';
import { sealHolds } from '../../ledger/stored-seal.js';
import type { FleetHead, OutgoingEvent } from '../../fleet/fleet-event-store.js';

export interface StreamPush {
  readonly stream: string;
  /** The fleet's version before the push (0: the stream is new there). */
  readonly from: number;
  readonly to: number;
}

export interface PushPlan {
  readonly streams: readonly StreamPush[];
  /** In stream order, each stream's events by version. */
  readonly events: readonly OutgoingEvent[];
}

/**
 * `home` maps each stream of the home to its events from the fleet's head
 * version on (from version 1 when the fleet has none).
 */
export function planPush(host: string, home: ReadonlyMap<string, readonly StoredEvent[]>, heads: ReadonlyMap<string, FleetHead>): PushPlan {
  for (const [stream, head] of heads) {
    const events = home.get(stream) ?? [];
    const atHead = events.find((event) => event.version === head.version);
    if (atHead === undefined || atHead.hash !== head.hash) throw diverged(host, stream, head, events, 'nothing was pushed');
  }
  const streams: StreamPush[] = [];
  const events: OutgoingEvent[] = [];
  for (const stream of [...home.keys()].sort()) {
    const head = heads.get(stream);
    const from = head?.version ?? 0;
    let prev = head?.hash ?? null;
    const outgoing = (home.get(stream) ?? []).filter((event) => event.version > from);
    for (const [index, event] of outgoing.entries()) {
      const text = canonicalJson(event);
      const intact = event.version === from + index + 1 && event.prev === prev && sealHolds(text, event.hash, event.sig, () => eventHash(event));
      if (!intact) {
        throw integrityError('GENLEDGER_FLEET_HOME_CHAIN', `event ${event.version} of '${stream}' in this home does not continue its hash chain; nothing was pushed`, 'run genledger verify to find and repair the damage');
      }
      events.push({ event, text });
      prev = event.hash;
    }
    if (outgoing.length > 0) streams.push({ stream, from, to: from + outgoing.length });
  }
  return { streams, events };
}

/** The plan's events cut into runs of at most `size`. */
export function pushBatches(plan: PushPlan, size: number): OutgoingEvent[][] {
  const batches: OutgoingEvent[][] = [];
  for (let start = 0; start < plan.events.length; start += size) batches.push(plan.events.slice(start, start + size));
  return batches;
}

/**
 * The part of a batch the fleet still lacks, given the heads read under
 * the host's lock: another pusher of this host may have sent some of it
 * meanwhile. What it sent must be the same events (else: diverged).
 */
export function unsentPart(host: string, batch: readonly OutgoingEvent[], heads: ReadonlyMap<string, FleetHead>): OutgoingEvent[] {
  return batch.filter(({ event }) => {
    const head = heads.get(event.stream);
    if (head === undefined || event.version > head.version) return true;
    if (event.version === head.version && event.hash !== head.hash) throw diverged(host, event.stream, head, [event], 'this batch was not written');
    return false;
  });
}

function diverged(host: string, stream: string, head: FleetHead, events: readonly StoredEvent[], outcome: string) {
  const home = events.find((event) => event.version === head.version);
  const fact = home === undefined ? `holds ${head.version} events of '${stream}' from host '${host}', more than this home has` : `holds another event ${head.version} of '${stream}' from host '${host}' than this home`;
  return refused('GENLEDGER_FLEET_DIVERGED', `the fleet database ${fact}; ${outcome}`, "this home's history differs from what the fleet recorded for this host: push it under another --host, or find out which history is the true one");
}
