import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ledger, LogRecord } from '../../../src/ledger/ledger.js';
import { createLevelLedger } from '../../../src/ledger/level-ledger.js';
import { eventMaker } from '../../contract/ledger-events.js';
import { edit, rawKey, signedLedgerDb, swap } from './tamper-fixture.js';
import type { Db } from './tamper-fixture.js';

async function readAll(ledger: Ledger): Promise<LogRecord[]> {
  const records: LogRecord[] = [];
  for await (const record of ledger.readLog()) records.push(record);
  return records;
}

describe('the LevelDB ledger on a damaged database', () => {
  let db: Db;
  let ledger: Ledger;
  beforeEach(async () => {
    db = await signedLedgerDb();
    ledger = createLevelLedger(db);
  });
  afterEach(() => db.close());

  const corrupt = (code: string, message: string) => expect.objectContaining({ code, exitCode: 4, message: expect.stringContaining(message) as string });

  it('refuses to read an event whose bytes changed, naming seq, stream and version', async () => {
    await edit(db, rawKey.event('profile', 2), (text) => text.replace('"uid":1000', '"uid":1001'));
    await expect(ledger.readStream('profile')).rejects.toEqual(corrupt('GENLEDGER_CORRUPT_EVENT', "event 2 of stream 'profile' does not match its hash"));
    await expect(readAll(ledger)).rejects.toEqual(corrupt('GENLEDGER_CORRUPT_EVENT', "event 2 of stream 'profile' (seq 2) does not match its hash"));
  });

  it('checks every record a point read returns, as a read of the whole log does', async () => {
    await edit(db, rawKey.event('profile', 2), (text) => text.replace('"uid":1000', '"uid":1001'));
    await expect(ledger.readLogAt([1, 2])).rejects.toEqual(corrupt('GENLEDGER_CORRUPT_EVENT', "event 2 of stream 'profile' (seq 2) does not match its hash"));
    await edit(db, rawKey.log(4), (text) => text.replace('"version":1', '"version":2'));
    await expect(ledger.readLogAt([4])).rejects.toEqual(corrupt('GENLEDGER_CORRUPT_LOG', 'log entry 4 does not match its hash'));
    await db.del(rawKey.log(5));
    await expect(ledger.readLogAt([5])).rejects.toEqual(corrupt('GENLEDGER_CORRUPT_LOG', 'log entry 5 is missing'));
    await swap(db, rawKey.event('system', 1), rawKey.event('profile', 4));
    await expect(ledger.readLogAt([6])).rejects.toEqual(corrupt('GENLEDGER_CORRUPT_EVENT', "event 4 of stream 'profile' (seq 6) holds event 1 of stream 'system'"));
  });

  it('refuses to skip a deleted event, in a stream or at its tail', async () => {
    await db.del(rawKey.event('profile', 4));
    await expect(ledger.readStream('profile')).rejects.toEqual(corrupt('GENLEDGER_CORRUPT_EVENT', "event 4 of stream 'profile' is missing"));
    await expect(readAll(ledger)).rejects.toEqual(corrupt('GENLEDGER_CORRUPT_EVENT', "event 4 of stream 'profile' (seq 6) is missing"));
    await db.del(rawKey.event('profile', 2));
    await expect(ledger.readStream('profile')).rejects.toEqual(corrupt('GENLEDGER_CORRUPT_EVENT', "event 2 of stream 'profile' is missing"));
  });

  it('refuses events swapped between keys and log entries swapped or deleted', async () => {
    await swap(db, rawKey.event('system', 1), rawKey.event('system', 2));
    await expect(ledger.readStream('system')).rejects.toEqual(corrupt('GENLEDGER_CORRUPT_EVENT', "event 1 of stream 'system' holds event 2"));
    await swap(db, rawKey.event('system', 1), rawKey.event('system', 2));
    await swap(db, rawKey.log(4), rawKey.log(5));
    await expect(readAll(ledger)).rejects.toEqual(corrupt('GENLEDGER_CORRUPT_LOG', 'log entry 4 holds entry 5'));
    await swap(db, rawKey.log(4), rawKey.log(5));
    await db.del(rawKey.log(3));
    await expect(readAll(ledger)).rejects.toEqual(corrupt('GENLEDGER_CORRUPT_LOG', 'log entry 3 is missing'));
  });

  it('turns a garbled value into a typed error, not a JSON parse error', async () => {
    await edit(db, rawKey.event('profile', 1), (text) => text.slice(0, 20));
    await expect(ledger.readStream('profile')).rejects.toEqual(corrupt('GENLEDGER_CORRUPT_EVENT', "event 1 of stream 'profile' is not valid JSON"));
  });

  it('never overwrites an event, even when the stream head was lost', async () => {
    const before = await db.get(rawKey.event('profile', 1));
    await db.del(rawKey.head('profile'));
    await expect(ledger.append('profile', 0, [eventMaker('new')()])).rejects.toEqual(corrupt('GENLEDGER_CORRUPT_EVENT', 'refusing to overwrite'));
    expect(await db.get(rawKey.event('profile', 1))).toBe(before);
  });

  it('never overwrites a log entry, even when the log head was lost', async () => {
    const before = await db.get(rawKey.log(1));
    await db.del(rawKey.logHead);
    await expect(ledger.append('work', 0, [eventMaker('new')()])).rejects.toEqual(corrupt('GENLEDGER_CORRUPT_LOG', 'log entry 1 already exists'));
    expect(await db.get(rawKey.log(1))).toBe(before);
    expect(await ledger.head('work')).toBeNull();
  });

  it('never overwrites a log entry when the log head is lost after this ledger wrote', async () => {
    await ledger.append('work', 0, [eventMaker('new')()]);
    const before = await db.get(rawKey.log(1));
    await db.del(rawKey.logHead);
    await expect(ledger.append('work', 1, [eventMaker('newer')()])).rejects.toEqual(corrupt('GENLEDGER_CORRUPT_LOG', 'log entry 1 already exists'));
    expect(await db.get(rawKey.log(1))).toBe(before);
    expect((await ledger.head('work'))?.version).toBe(1);
  });
});
