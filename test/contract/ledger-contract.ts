/**
 * The behaviour every Ledger backend promises (src/ledger/ledger.ts), as
 * one suite run against each backend through a factory: memory-level and
 * classic-level on disk today. This suite is the specification: a new
 * backend (the PostgreSQL event store) is done when it passes here, run by
 * a `ledger-<backend>.test.ts` of its own that hands this function a
 * factory. A backend passes when it orders, chains, refuses, deduplicates,
 * imports and time-travels exactly as described here. Signing, the
 * commit hook and the quarantine mask are options of the LevelDB adapter
 * (createLevelLedger), not promises of the port.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GenledgerError } from '../../src/errors.js';
import type { StoredEvent } from '../../src/ledger/event.js';
import { checkEventSignature, eventSigner } from '../../src/ledger/event-signer.js';
import type { EventSigner } from '../../src/ledger/event-signer.js';
import type { Ledger, LogRecord, ReadLogOptions } from '../../src/ledger/ledger.js';
import { parseSecretKey, publicKeyOf } from '../../src/ledger/nix-key.js';
import { eventMaker, minute } from './ledger-events.js';
import type { EventMaker } from './ledger-events.js';

export interface LedgerFixture {
  ledger(options?: { signer?: EventSigner }): Ledger;
  /** makes the next write that reaches the global log fail inside the backend */
  failNextWrite(): void;
  close(): Promise<void>;
}

export type LedgerFactory = () => Promise<LedgerFixture>;

const TEST_SECRET = 'nixspec-test-1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8DoQe/884Qvh1w3RjnS8CZZ+TWMJulDV8d3IZkElUxuA==';

export function ledgerContract(name: string, factory: LedgerFactory): void {
  describe(`Ledger contract on ${name}`, () => {
    let fixture: LedgerFixture;
    let ledger: Ledger;
    let make: EventMaker;

    beforeEach(async () => {
      fixture = await factory();
      ledger = fixture.ledger();
      make = eventMaker();
    });
    afterEach(() => fixture.close());

    describe('append', () => {
      it('numbers a new stream from 1 and chains every event to the one before', async () => {
        const stored = await ledger.append('profile', 0, [make(), make(), make()]);
        expect(stored.map((event) => event.version)).toEqual([1, 2, 3]);
        expect(stored.map((event) => event.prev)).toEqual([null, stored[0]?.hash, stored[1]?.hash]);
        expect(await ledger.head('profile')).toEqual({ version: 3, hash: stored[2]?.hash });
        expect(await ledger.readStream('profile')).toEqual(stored);
      });

      it('orders appends to all streams in one global log', async () => {
        await ledger.append('profile', 0, [make()]);
        await ledger.append('system', 0, [make(), make()]);
        await ledger.append('profile', 1, [make()]);
        const log = await collect(ledger.readLog());
        expect(log.map(({ seq, event }) => [seq, event.stream, event.version])).toEqual([
          [1, 'profile', 1],
          [2, 'system', 1],
          [3, 'system', 2],
          [4, 'profile', 2],
        ]);
        expect(await ledger.lastSeq()).toBe(4);
        expect(await ledger.streams()).toEqual(['profile', 'system']);
      });

      it('refuses a stale or future expected version and writes nothing', async () => {
        await ledger.append('profile', 0, [make()]);
        for (const expected of [0, 2]) {
          const error = await refusal(ledger.append('profile', expected, [make()]));
          expect(error).toMatchObject({ code: 'GENLEDGER_VERSION_CONFLICT', exitCode: 1 });
          expect(error.message).toContain(`at version 1, not ${expected}`);
        }
        expect(await ledger.readStream('profile')).toHaveLength(1);
        expect(await ledger.lastSeq()).toBe(1);
      });

      it('writes all events of an append or none when the backend fails mid-write', async () => {
        const events = [make(), make(), make()];
        fixture.failNextWrite();
        await expect(ledger.append('profile', 0, events)).rejects.toThrow();
        expect(await ledger.head('profile')).toBeNull();
        expect(await ledger.lastSeq()).toBe(0);
        expect(await collect(ledger.readLog())).toEqual([]);
        const stored = await ledger.append('profile', 0, events);
        expect(stored).toHaveLength(3);
      });

      it('refuses the whole append when one event is malformed', async () => {
        const error = await refusal(ledger.append('profile', 0, [make(), make(), make({ data: { size: Number.NaN } })]));
        expect(error).toMatchObject({ code: 'GENLEDGER_INVALID_EVENT', exitCode: 1 });
        expect(error.message).toContain('event 3');
        expect(await ledger.head('profile')).toBeNull();
      });

      it('returns the stored events and writes nothing when the same events are appended again', async () => {
        const events = [make(), make()];
        const first = await ledger.append('profile', 0, events);
        const again = await ledger.append('profile', 0, events);
        expect(again).toEqual(first);
        expect(await ledger.lastSeq()).toBe(2);
        expect(await ledger.head('profile')).toEqual({ version: 2, hash: first[1]?.hash });
      });

      it('refuses a stored event id with other content, in any stream', async () => {
        const [event] = await ledger.append('profile', 0, [make()]);
        const reused = { ...make(), id: event?.id ?? '' };
        await expect(ledger.append('profile', 1, [reused])).rejects.toMatchObject({ code: 'GENLEDGER_EVENT_ID_CONFLICT' });
        await expect(ledger.append('system', 0, [{ ...reused, data: event?.data }])).rejects.toMatchObject({ code: 'GENLEDGER_EVENT_ID_CONFLICT' });
        const twice = make();
        await expect(ledger.append('profile', 1, [twice, twice])).rejects.toMatchObject({ code: 'GENLEDGER_EVENT_ID_CONFLICT' });
        expect(await ledger.lastSeq()).toBe(1);
      });

      it('signs every appended event over its hash when a signer is configured', async () => {
        const secret = parseSecretKey(TEST_SECRET);
        const signed = fixture.ledger({ signer: eventSigner(secret) });
        const stored = await signed.append('profile', 0, [make(), make()]);
        for (const event of stored) {
          expect(event.sig).toMatch(/^nixspec-test-1:/);
          expect(checkEventSignature(event, [publicKeyOf(secret)])).toBe('valid');
        }
        expect(await signed.readStream('profile')).toEqual(stored);
      });

      it('refuses stream names that could escape their keys', async () => {
        for (const stream of ['', '/profile', 'a!b', 'per-user/../root', 'a//b', 'profile/', 'a\u0000b']) {
          await expect(ledger.append(stream, 0, [make()])).rejects.toMatchObject({ code: 'GENLEDGER_BAD_STREAM', exitCode: 2 });
        }
      });
    });

    describe('reading', () => {
      it('reads a stream from a given version on', async () => {
        await ledger.append('profile', 0, [make(), make(), make(), make(), make()]);
        expect((await ledger.readStream('profile', 3)).map((event) => event.version)).toEqual([3, 4, 5]);
        expect(await ledger.readStream('profile', 6)).toEqual([]);
        expect(await ledger.readStream('never-written')).toEqual([]);
      });

      it('travels back to a seq: the log up to and including it', async () => {
        await ledger.append('profile', 0, [make(), make(), make()]);
        await ledger.append('system', 0, [make(), make(), make()]);
        expect(await seqs(ledger, { untilSeq: 4 })).toEqual([1, 2, 3, 4]);
        expect(await seqs(ledger, { fromSeq: 2, untilSeq: 4 })).toEqual([2, 3, 4]);
        expect(await seqs(ledger, { fromSeq: 5 })).toEqual([5, 6]);
        expect(await seqs(ledger, { untilSeq: 0 })).toEqual([]);
      });

      it('travels back to a time: each stream as it stood then, even if its clock went backwards', async () => {
        await ledger.append('profile', 0, [make({ at: minute(10) }), make({ at: minute(30) }), make({ at: minute(20) })]);
        await ledger.append('system', 0, [make({ at: minute(5) }), make({ at: minute(25) })]);
        const asOf = await collect(ledger.readLog({ until: minute(25) }));
        expect(asOf.map(({ event }) => `${event.stream}@${event.version}`)).toEqual(['profile@1', 'system@1', 'system@2']);
        expect(await seqs(ledger, { until: minute(4) })).toEqual([]);
        expect(() => ledger.readLog({ until: '2025-01-01 00:25' })).toThrow(expect.objectContaining({ code: 'GENLEDGER_BAD_TIME', exitCode: 2 }));
      });

      it('reads the records at given seqs, in the order asked, and none beyond the log head', async () => {
        await ledger.append('profile', 0, [make(), make(), make()]);
        await ledger.append('system', 0, [make(), make()]);
        const log = await collect(ledger.readLog());
        const at = await ledger.readLogAt([5, 2, 7, 2]);
        expect(at).toEqual([log[4], log[1], null, log[1]]);
        expect(await ledger.readLogAt([])).toEqual([]);
        await expect(ledger.readLogAt([0])).rejects.toMatchObject({ code: 'GENLEDGER_BAD_POSITION', exitCode: 2 });
      });

      it('lifts old schema versions when reading but keeps the stored bytes', async () => {
        const old = make({ v: 1, data: { storePaths: [`/nix/store/${'b'.repeat(32)}-hello-2.12`] } });
        const [stored] = await ledger.append('profile', 0, [old]);
        const [read] = await ledger.readStream('profile');
        expect(read).toMatchObject({ v: 2, hash: stored?.hash, data: { elements: [{ name: 'hello-2.12', priority: 5 }] } });
        expect(await ledger.readStream('profile', 1, { upcast: false })).toEqual([stored]);
        const [logged] = await collect(ledger.readLog());
        expect(logged?.event.v).toBe(2);
        const [pointRead] = await ledger.readLogAt([1]);
        expect(pointRead?.event.v).toBe(2);
        expect((await ledger.readLogAt([1], { upcast: false }))[0]?.event).toEqual(stored);
      });
    });

    describe('importEvents', () => {
      it("appends another ledger's events verbatim and skips those already present", async () => {
        const source = await factory();
        try {
          const signed = source.ledger({ signer: eventSigner(parseSecretKey(TEST_SECRET)) });
          await signed.append('profile', 0, [make(), make()]);
          const firstTwo = await signed.readStream('profile', 1, { upcast: false });
          expect(await ledger.importEvents('profile', firstTwo)).toEqual({ appended: 2 });
          await signed.append('profile', 2, [make()]);
          const all = await signed.readStream('profile', 1, { upcast: false });
          expect(await ledger.importEvents('profile', all)).toEqual({ appended: 1 });
          expect(await ledger.importEvents('profile', all)).toEqual({ appended: 0 });
          expect(await ledger.readStream('profile', 1, { upcast: false })).toEqual(all);
          expect(await ledger.head('profile')).toEqual(await signed.head('profile'));
        } finally {
          await source.close();
        }
      });

      it('refuses a history that diverges, naming the first differing version', async () => {
        const source = await factory();
        try {
          const theirs = source.ledger();
          await theirs.append('profile', 0, [make(), make()]);
          await ledger.importEvents('profile', await theirs.readStream('profile', 1, { upcast: false }));
          await theirs.append('profile', 2, [make(), make()]);
          await ledger.append('profile', 2, [make()]);
          const error = await refusal(ledger.importEvents('profile', await theirs.readStream('profile', 1, { upcast: false })));
          expect(error).toMatchObject({ code: 'GENLEDGER_STREAM_DIVERGED', exitCode: 1 });
          expect(error.message).toContain('at version 3');
          expect(await ledger.head('profile')).toMatchObject({ version: 3 });
        } finally {
          await source.close();
        }
      });

      it('refuses an import that leaves a gap, belongs to another stream or was altered', async () => {
        const source = await factory();
        try {
          const theirs = source.ledger();
          await theirs.append('profile', 0, [make(), make(), make()]);
          const events = await theirs.readStream('profile', 1, { upcast: false });
          await expect(ledger.importEvents('profile', events.slice(1))).rejects.toMatchObject({ code: 'GENLEDGER_STREAM_GAP' });
          await expect(ledger.importEvents('work', events)).rejects.toMatchObject({ code: 'GENLEDGER_STREAM_MISMATCH' });
          const altered = events.map((event, index): StoredEvent => (index === 1 ? { ...event, reason: 'rewritten' } : event));
          await expect(ledger.importEvents('profile', altered)).rejects.toMatchObject({ code: 'GENLEDGER_CORRUPT_EVENT', exitCode: 4 });
          expect(await ledger.lastSeq()).toBe(0);
        } finally {
          await source.close();
        }
      });
    });
  });
}

async function collect(records: AsyncIterable<LogRecord>): Promise<LogRecord[]> {
  const result: LogRecord[] = [];
  for await (const record of records) result.push(record);
  return result;
}

async function seqs(ledger: Ledger, options: ReadLogOptions): Promise<number[]> {
  return (await collect(ledger.readLog(options))).map((record) => record.seq);
}

async function refusal(promise: Promise<unknown>): Promise<GenledgerError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof GenledgerError)) throw new Error(`expected a GenledgerError, got ${String(error)}`);
  return error;
}
