/**
 * The push plan, pure: which streams go, refused before anything when the
 * fleet's head is not the home's, and every outgoing event checked against
 * its chain (a home whose history was edited stops the push there).
 */
import { describe, expect, it } from 'vitest';
import { checkedEvents, planPush, unsentPart } from '../../src/app/fleet/push-plan.js';
import { canonicalJson } from '../../src/ledger/canonical-json.js';
import { sealEvent } from '../../src/ledger/event.js';
import type { StoredEvent } from '../../src/ledger/event.js';

function chain(stream: string, length: number, salt = ''): StoredEvent[] {
  const events: StoredEvent[] = [];
  let prev: string | null = null;
  for (let version = 1; version <= length; version++) {
    const unsealed = { id: `${stream}-${version}${salt}`, stream, version, type: 'T', v: 1, at: '2026-01-01T00:00:00Z', actor: { user: 'alice', uid: 1000, host: 'h' }, data: { n: version }, prev };
    const event: StoredEvent = { ...unsealed, hash: sealEvent(unsealed).hash };
    events.push(event);
    prev = event.hash;
  }
  return events;
}

/** The home as push reads it: each event, and the text stored for it when given. */
const records = (events: readonly StoredEvent[], texts: readonly string[] = []) => events.map((event, index) => ({ event, text: texts[index] }));

const head = (event: StoredEvent | undefined) => ({ version: event?.version ?? 0, hash: event?.hash ?? '' });

describe('planning a push', () => {
  it('sends each stream from the fleet head on, new streams whole, and nothing for a stream the fleet has in full', () => {
    const a = chain('a', 5);
    const b = chain('b', 2);
    const c = chain('c', 3);
    const heads = new Map([['a', head(a[2])], ['c', head(c[2])]]);
    const home = new Map([['a', a.slice(2)], ['b', b], ['c', c.slice(2)]]);
    const plan = planPush('h', home, heads);
    expect(plan).toEqual([{ stream: 'a', from: 3, to: 5 }, { stream: 'b', from: 0, to: 2 }]);
    expect([...checkedEvents(plan, new Map([...home].map(([stream, events]) => [stream, records(events)])), heads)].map(({ event }) => `${event.stream}${event.version}`)).toEqual(['a4', 'a5', 'b1', 'b2']);
  });

  it('refuses, before any event is checked or sent, a stream whose fleet head is another event or beyond the home', () => {
    const a = chain('a', 3);
    const rewritten = chain('a', 3, '-rewritten');
    expect(() => planPush('h', new Map([['a', rewritten.slice(1)]]), new Map([['a', head(a[1])]]))).toThrow(expect.objectContaining({ code: 'GENLEDGER_FLEET_DIVERGED', exitCode: 1 }));
    expect(() => planPush('h', new Map([['a', []]]), new Map([['a', head(a[2])]]))).toThrow(/holds 3 events of 'a' from host 'h', more than this home has/);
  });

  it('stops at an event edited in the home (its hash no longer holds) and at one that does not link to the one before', () => {
    const edited = chain('a', 3);
    edited[1] = { ...(edited[1] as StoredEvent), data: { n: 99 } };
    const plan = [{ stream: 'a', from: 0, to: 3 }];
    const sent: number[] = [];
    expect(() => {
      for (const { event } of checkedEvents(plan, new Map([['a', records(edited)]]), new Map())) sent.push(event.version);
    }).toThrow(expect.objectContaining({ code: 'GENLEDGER_FLEET_HOME_CHAIN', exitCode: 4 }));
    expect(sent).toEqual([1]);

    const spliced = [...chain('a', 1), ...chain('a', 2, '-other').slice(1)];
    expect(() => [...checkedEvents(plan, new Map([['a', records(spliced)]]), new Map())]).toThrow(/event 2 of 'a' in this home does not continue its hash chain/);
  });

  it('sends the text the home stored when it is the sealed canonical text, and the event encoded again otherwise', () => {
    const a = chain('a', 3);
    const canonical = a.map((event) => canonicalJson(event));
    const plan = [{ stream: 'a', from: 0, to: 3 }];
    const stored = [canonical[0] as string, ` ${canonical[1] as string}`, (canonical[2] as string).replace('"n":3', '"n":4')];
    expect(() => [...checkedEvents(plan, new Map([['a', records(a, stored)]]), new Map())]).not.toThrow();
    expect([...checkedEvents(plan, new Map([['a', records(a, stored)]]), new Map())].map(({ text }) => text)).toEqual(canonical);
    const edited = [...a];
    edited[2] = { ...(a[2] as StoredEvent), data: { n: 4 } };
    expect(() => [...checkedEvents(plan, new Map([['a', records(edited, stored)]]), new Map())]).toThrow(/event 3 of 'a' in this home does not continue its hash chain/);
  });

  it('leaves out of a batch what a concurrent pusher of the host already sent, and refuses another event in its place', () => {
    const a = chain('a', 4).map((event) => ({ event, text: '' }));
    expect(unsentPart('h', a, new Map([['a', head(a[1]?.event)]])).map(({ event }) => event.version)).toEqual([3, 4]);
    expect(() => unsentPart('h', a, new Map([['a', { version: 2, hash: 'f'.repeat(64) }]]))).toThrow(expect.objectContaining({ code: 'GENLEDGER_FLEET_DIVERGED' }));
  });
});
