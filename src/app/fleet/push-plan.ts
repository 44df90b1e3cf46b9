/**
 * What `fleet push` sends, decided from the home's streams and where the
 * fleet database stands for this host: a diverged stream (the fleet's
 * event at its highest version is not the home's) refuses the whole push
 * before anything is written; the outgoing events must continue each
 * fleet chain (every hash recomputed, every prev the hash before it), or
 * the push stops at the first that does not.
 */
import { integrityError, refused } from '../../errors.js';
import { canonicalJson } from '../../ledger/canonical-json.js';
import { eventHash } from '../../ledger/event.js';
import type { StoredEvent } from '../../ledger/event.js';
import { sealedAsStored } from '../../ledger/stored-seal.js';
import type { FleetHead, OutgoingEvent } from '../../fleet/fleet-event-store.js';

export interface StreamPush {
  readonly stream: string;
  /** The fleet's version before the push (0: the stream is new there). */
  readonly from: number;
  readonly to: number;
}

/**
 * The streams a push sends, checked against the fleet first, all of them
 * before anything is written: a stream the fleet holds from this host must
 * reach its fleet head in the home with the same hash there. `home` maps
 * each stream of the home to its events from the fleet's head version on
 * (from version 1 when the fleet has none).
 */
export function planPush(host: string, home: ReadonlyMap<string, readonly StoredEvent[]>, heads: ReadonlyMap<string, FleetHead>): StreamPush[] {
  for (const [stream, head] of heads) {
    const events = home.get(stream) ?? [];
    const atHead = events.find((event) => event.version === head.version);
    if (atHead === undefined || atHead.hash !== head.hash) throw diverged(host, stream, head, events, 'nothing was pushed');
  }
  return [...home.keys()]
    .sort()
    .map((stream) => ({ stream, from: heads.get(stream)?.version ?? 0, to: home.get(stream)?.at(-1)?.version ?? 0 }))
    .filter(({ from, to }) => to > from);
}

/** A home event as read, with the text the home stored for it when known. */
export interface HomeRecord {
  readonly event: StoredEvent;
  readonly text?: string;
}

/**
 * The planned events one by one, each checked as it comes (so checking
 * overlaps the database's insert of the batch before): every hash checked,
 * every prev the hash before it, starting from the fleet's head. What is
 * sent is the canonical text: the text the home stored when its seal holds
 * as stored, else the event encoded again and its hash recomputed.
 */
export function* checkedEvents(plan: readonly StreamPush[], home: ReadonlyMap<string, readonly HomeRecord[]>, heads: ReadonlyMap<string, FleetHead>): Generator<OutgoingEvent> {
  for (const { stream, from } of plan) {
    let prev = heads.get(stream)?.hash ?? null;
    let version = from;
    for (const { event, text: stored } of home.get(stream) ?? []) {
      if (event.version <= from) continue;
      const asStored = stored !== undefined && sealedAsStored(stored, event.hash, event.sig);
      const text = asStored ? stored : canonicalJson(event);
      version += 1;
      if (event.version !== version || event.prev !== prev || (!asStored && eventHash(event) !== event.hash)) {
        throw integrityError('GENLEDGER_FLEET_HOME_CHAIN', `event ${event.version} of '${stream}' in this home does not continue its hash chain; the events before it were pushed`, 'run genledger verify to find and repair the damage, then push again');
      }
      yield { event, text };
      prev = event.hash;
    }
  }
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
