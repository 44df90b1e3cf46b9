import { readFileSync } from 'node:fs';
import { MemoryLevel } from 'memory-level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventIdIndex } from '../../../migrations/layout/0001-event-id-index.js';
import type { NewEvent } from '../../../src/ledger/event.js';
import { migrateLayout } from '../../../src/ledger/layout-migrations.js';
import type { LayoutMigration } from '../../../src/ledger/layout-migration.js';
import { createLevelLedger } from '../../../src/ledger/level-ledger.js';
import { verifyLedger } from '../../../src/ledger/verify-ledger.js';

interface Fixture {
  entries: [string, string][];
}

const layout0 = JSON.parse(readFileSync(new URL('../../fixtures/ledger-layout-0.json', import.meta.url), 'utf8')) as Fixture;

describe('layout migrations', () => {
  let db: MemoryLevel<string, string>;

  beforeEach(async () => {
    db = new MemoryLevel<string, string>({ keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await db.open();
    await db.batch(layout0.entries.map(([key, value]) => ({ type: 'put' as const, key, value })));
  });
  afterEach(() => db.close());

  it('bring a layout-0 database to the current layout and record its version', async () => {
    expect(await migrateLayout(db)).toEqual({ from: 0, to: 1 });
    expect(await db.get('!meta!layout-version')).toBe('1');
    const ids = await db.keys({ gte: '!ledger!id!', lt: '!ledger!id"' }).all();
    expect(ids).toEqual(['PRF1', 'PRF2', 'BOB1', 'PRF3'].map((id) => `!ledger!id!01J0000000000000000000${id}`).sort());
    expect(await verifyLedger(db)).toMatchObject({ ok: true, eventsChecked: 4, problems: [] });
  });

  it('leave the old events byte for byte, and let the ledger read them upcast and recognise re-appends', async () => {
    await migrateLayout(db);
    const after = new Map(await db.iterator().all());
    for (const [key, value] of layout0.entries) expect(after.get(key)).toBe(value);
    const ledger = createLevelLedger(db);
    const bob = await ledger.readStream('per-user/bob/profile');
    expect(bob[0]).toMatchObject({ v: 2, data: { elements: [{ name: 'jq-1.7', priority: 5 }] } });
    const [raw] = await ledger.readStream('profile', 2, { upcast: false });
    if (raw === undefined) throw new Error('the fixture has no event 2 of profile');
    const repeat: NewEvent = { id: raw.id, type: raw.type, v: raw.v, at: raw.at, actor: raw.actor, command: raw.command, data: raw.data };
    const again = await ledger.append('profile', 1, [repeat]);
    expect(again).toEqual([raw]);
    expect(await ledger.lastSeq()).toBe(4);
  });

  it('do nothing once the database is current', async () => {
    await migrateLayout(db);
    const before = await db.iterator().all();
    expect(await migrateLayout(db)).toEqual({ from: 1, to: 1 });
    expect(await db.iterator().all()).toEqual(before);
  });

  it('commit each migration with its version, so a failing one leaves the previous version in place', async () => {
    const failing: LayoutMigration = {
      version: 2,
      description: 'fails',
      up: () => Promise.reject(new Error('disk on fire')),
    };
    await expect(migrateLayout(db, [eventIdIndex, failing])).rejects.toThrow('disk on fire');
    expect(await db.get('!meta!layout-version')).toBe('1');
  });

  it('refuse a database written by a newer genledger, and a garbled version', async () => {
    await db.put('!meta!layout-version', '7');
    await expect(migrateLayout(db)).rejects.toMatchObject({ code: 'GENLEDGER_DB_TOO_NEW', exitCode: 1 });
    await db.put('!meta!layout-version', 'seven');
    await expect(migrateLayout(db)).rejects.toMatchObject({ code: 'GENLEDGER_DB_CORRUPT', exitCode: 4 });
  });
});
