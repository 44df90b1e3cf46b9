/**
 * A small signed ledger in memory, and the ways an attacker or a failing
 * disk could alter it behind the ledger's back: editing, deleting and
 * swapping raw LevelDB values under the ledger's keys.
 *
 * Log: 1 profile@1, 2 profile@2, 3 profile@3, 4 system@1, 5 system@2, 6 profile@4.
 */
import { MemoryLevel } from 'memory-level';
import { eventSigner } from '../../../src/ledger/event-signer.js';
import { migrateLayout } from '../../../src/ledger/layout-migrations.js';
import { fixedWidth } from '../../../src/ledger/ledger-keys.js';
import { createLevelLedger } from '../../../src/ledger/level-ledger.js';
import { parseSecretKey, publicKeyOf } from '../../../src/ledger/nix-key.js';
import type { PublicKey } from '../../../src/ledger/nix-key.js';
import { eventMaker } from '../../contract/ledger-events.js';

export const testSecret = parseSecretKey('nixspec-test-1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8DoQe/884Qvh1w3RjnS8CZZ+TWMJulDV8d3IZkElUxuA==');
export const testKey: PublicKey = publicKeyOf(testSecret);

export type Db = MemoryLevel<string, string>;

export async function signedLedgerDb(): Promise<Db> {
  const db = new MemoryLevel<string, string>({ keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await db.open();
  await migrateLayout(db);
  const ledger = createLevelLedger(db, { signer: eventSigner(testSecret) });
  const make = eventMaker();
  await ledger.append('profile', 0, [make(), make(), make()]);
  await ledger.append('system', 0, [make(), make()]);
  await ledger.append('profile', 3, [make()]);
  return db;
}

export const rawKey = {
  event: (stream: string, version: number): string => `!ledger!stream!${stream}!${fixedWidth(version)}`,
  log: (seq: number): string => `!ledger!log!${fixedWidth(seq)}`,
  head: (stream: string): string => `!ledger!head!${stream}`,
  id: (id: string): string => `!ledger!id!${id}`,
  logHead: '!ledger!meta!log-head',
};

export async function edit(db: Db, key: string, change: (value: string) => string): Promise<void> {
  const value = await db.get(key);
  if (value === undefined) throw new Error(`no value at ${key}`);
  const changed = change(value);
  if (changed === value) throw new Error(`the edit of ${key} changed nothing`);
  await db.put(key, changed);
}

export async function editJson(db: Db, key: string, change: (value: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  await edit(db, key, (text) => JSON.stringify(change(JSON.parse(text) as Record<string, unknown>)));
}

export async function swap(db: Db, a: string, b: string): Promise<void> {
  const [first, second] = await db.getMany([a, b]);
  if (first === undefined || second === undefined) throw new Error(`cannot swap ${a} and ${b}`);
  await db.batch([
    { type: 'put', key: a, value: second },
    { type: 'put', key: b, value: first },
  ]);
}
