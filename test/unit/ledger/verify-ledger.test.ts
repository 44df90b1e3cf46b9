import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventHash } from '../../../src/ledger/event.js';
import type { StoredEvent } from '../../../src/ledger/event.js';
import { generateKeyPair, publicKeyOf, signDetached } from '../../../src/ledger/nix-key.js';
import { verifyLedger } from '../../../src/ledger/verify-ledger.js';
import { edit, editJson, rawKey, signedLedgerDb, swap, testKey } from './tamper-fixture.js';
import type { Db } from './tamper-fixture.js';

describe('verifyLedger', () => {
  let db: Db;
  beforeEach(async () => {
    db = await signedLedgerDb();
  });
  afterEach(() => db.close());

  const verify = (trusted = true) => verifyLedger(db, trusted ? { trustedKeys: [testKey] } : {});

  it('passes an untouched ledger', async () => {
    expect(await verify()).toEqual({ ok: true, eventsChecked: 6, problems: [], warnings: [] });
  });

  it('catches one changed byte in one event', async () => {
    await edit(db, rawKey.event('profile', 2), (text) => text.replace('"user":"alice"', '"user":"alicf"'));
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ seq: 2, stream: 'profile', version: 2, kind: 'hash', message: expect.stringContaining('does not match its hash') as string }]);
  });

  it('catches a deleted event in its stream and in the log', async () => {
    await db.del(rawKey.event('profile', 2));
    const { problems } = await verify();
    expect(problems.map((problem) => [problem.seq, problem.kind])).toEqual([
      [2, 'missing'],
      [2, 'missing'],
    ]);
    expect(problems.map((problem) => problem.message)).toEqual([
      "event 2 of stream 'profile' is missing",
      "log entry 2 names event 2 of stream 'profile', which is missing",
    ]);
  });

  it('catches two events whose values were swapped', async () => {
    await swap(db, rawKey.event('profile', 1), rawKey.event('profile', 2));
    const { problems } = await verify();
    expect(problems.filter((problem) => problem.kind === 'order').map((problem) => problem.version)).toEqual([1, 2]);
    expect(problems[0]?.seq).toBe(1);
  });

  it('catches two log entries whose values were swapped', async () => {
    await swap(db, rawKey.log(2), rawKey.log(3));
    const { problems } = await verify();
    expect(problems.map((problem) => [problem.seq, problem.kind])).toEqual(expect.arrayContaining([[2, 'order'], [3, 'order']]));
  });

  it('catches signatures swapped between two events', async () => {
    const [first, second] = (await db.getMany([rawKey.event('profile', 1), rawKey.event('profile', 2)])).map((text) => JSON.parse(text ?? '') as StoredEvent);
    await editJson(db, rawKey.event('profile', 1), (event) => ({ ...event, sig: second?.sig }));
    await editJson(db, rawKey.event('profile', 2), (event) => ({ ...event, sig: first?.sig }));
    const { problems } = await verify();
    expect(problems.map((problem) => [problem.seq, problem.kind])).toEqual([
      [1, 'signature'],
      [2, 'signature'],
    ]);
  });

  it('reports unsigned and foreign-signed events only when trusted keys are given', async () => {
    const stranger = generateKeyPair('stranger-1').secretKey;
    await editJson(db, rawKey.event('system', 1), ({ sig: _sig, ...event }) => event);
    await editJson(db, rawKey.event('system', 2), (event) => ({ ...event, sig: `stranger-1:${signDetached(stranger, String(event.hash))}` }));
    expect((await verify()).problems.map((problem) => [problem.seq, problem.kind])).toEqual([
      [4, 'unsigned'],
      [5, 'untrusted'],
    ]);
    expect(await verify(false)).toMatchObject({ ok: true });
    expect((await verifyLedger(db, { trustedKeys: [testKey, publicKeyOf(stranger)] })).problems.map((problem) => problem.kind)).toEqual(['unsigned']);
  });

  it('catches a deleted log entry, in the middle and at the end', async () => {
    await db.del(rawKey.log(3));
    await db.del(rawKey.log(6));
    const { problems } = await verify();
    expect(problems).toEqual([
      { seq: 3, kind: 'missing', message: 'log entry 3 is missing' },
      { seq: 6, kind: 'missing', message: 'log entry 6 is missing (the log head names it)' },
      { stream: 'profile', version: 3, kind: 'missing', message: "event 3 of stream 'profile' is not in the global log" },
      { stream: 'profile', version: 4, kind: 'missing', message: "event 4 of stream 'profile' is not in the global log" },
    ]);
  });

  it('catches a whole stream deleted with its head and index', async () => {
    await db.batch(
      [rawKey.event('system', 1), rawKey.event('system', 2), rawKey.head('system'), rawKey.id('evt-4'), rawKey.id('evt-5')].map((key) => ({ type: 'del' as const, key })),
    );
    const { problems } = await verify();
    expect(problems.map((problem) => [problem.seq, problem.kind])).toEqual([
      [4, 'missing'],
      [5, 'missing'],
    ]);
  });

  it('catches an event rewritten with a freshly computed hash, through both chains', async () => {
    await editJson(db, rawKey.event('profile', 2), (event) => {
      const rewritten = { ...event, reason: 'nothing to see here', sig: undefined };
      return { ...rewritten, hash: eventHash(rewritten as unknown as StoredEvent) };
    });
    const { problems } = await verify(false);
    expect(problems.map((problem) => [problem.seq, problem.kind])).toEqual([
      [2, 'log-chain'],
      [3, 'stream-chain'],
    ]);
  });

  it.each([
    ['an event', rawKey.event('profile', 3), 3],
    ['a log entry', rawKey.log(3), 3],
  ])('reports %s garbled to non-JSON or truncated as corrupt, without throwing', async (_, key, seq) => {
    await edit(db, key, (text) => text.slice(0, text.length / 2));
    const { problems } = await verify();
    expect(problems[0]).toMatchObject({ seq, kind: 'corrupt' });
    await edit(db, key, () => '\u0000\ufffd garbage');
    expect((await verify()).problems[0]).toMatchObject({ seq, kind: 'corrupt' });
  });

  it('reports garbled heads, log head and index records as problems', async () => {
    await edit(db, rawKey.head('system'), () => '{"version":');
    await edit(db, rawKey.logHead, () => 'nope');
    await edit(db, rawKey.id('evt-1'), () => '{"stream":"system","version":1}');
    const { problems } = await verify();
    expect(problems.map((problem) => problem.kind).sort()).toEqual(['corrupt', 'corrupt', 'corrupt']);
    expect(problems[0]?.seq).toBe(1);
  });

  it('lists problems by seq, the first bad seq first', async () => {
    await edit(db, rawKey.event('profile', 4), (text) => text.replace('pkg6', 'pkg7'));
    await edit(db, rawKey.event('system', 1), (text) => text.replace('pkg4', 'pkg9'));
    expect((await verify()).problems.map((problem) => problem.seq)).toEqual([4, 6]);
  });
});
