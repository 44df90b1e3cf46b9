import { MemoryLevel } from 'memory-level';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSublevelPuts } from '../../../src/ledger/sublevel-writes.js';

describe('writeSublevelPuts', () => {
  let db: MemoryLevel<string, string>;
  beforeEach(async () => {
    db = new MemoryLevel<string, string>({ keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await db.open();
  });
  afterEach(() => db.close());

  it('writes puts into several sublevels, each under its own prefix', async () => {
    const ledger = db.sublevel<string, string>('ledger', { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    const index = db.sublevel<string, string>('package-index', { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await writeSublevelPuts(db, [{ sublevel: ledger, key: 'log!1', value: 'a' }, { sublevel: index, key: 'indexed', value: 'b' }], { sync: false });
    expect(await ledger.get('log!1')).toBe('a');
    expect(await index.get('indexed')).toBe('b');
    expect(await db.keys().all()).toEqual(['!ledger!log!1', '!package-index!indexed']);
  });

  it('writes all or nothing when a put fails, and leaves the database usable', async () => {
    const ledger = db.sublevel<string, string>('ledger', { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    const failOnSecond = (op: { key: unknown }): void => {
      if (op.key === 'second') throw new Error('injected');
    };
    db.hooks.prewrite.add(failOnSecond);
    const puts = ['first', 'second', 'third'].map((key) => ({ sublevel: ledger, key, value: key }));
    await expect(writeSublevelPuts(db, puts, { sync: false })).rejects.toMatchObject({ code: 'LEVEL_HOOK_ERROR' });
    expect(await db.keys().all()).toEqual([]);
    db.hooks.prewrite.delete(failOnSecond);
    await writeSublevelPuts(db, puts, { sync: false });
    expect(await ledger.values().all()).toEqual(['first', 'second', 'third']);
  });
});
