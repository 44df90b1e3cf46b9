import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/ledger/database.js';
import type { Database, OpenDatabaseOptions } from '../../src/ledger/database.js';
import type { LockHolder } from '../../src/ledger/lock-holder.js';

const first: LockHolder = { pid: process.pid, user: 'alice', command: 'genledger profile install hello', since: '2025-01-01T00:00:00.000Z' };

describe('openDatabase', () => {
  let home: string;
  let dir: string;
  const open: Database[] = [];

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'genledger-db-'));
    dir = join(home, 'db');
  });
  afterEach(async () => {
    for (const database of open.splice(0)) await database.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function openAs(holder: LockHolder, options: Partial<OpenDatabaseOptions> = {}): Promise<Database> {
    const database = await openDatabase({ dir, lockTimeoutMs: 0, holder, ...options });
    open.push(database);
    return database;
  }

  it('records its holder next to the database while open and removes the record on close', async () => {
    const database = await openAs(first);
    expect(JSON.parse(readFileSync(`${dir}.holder`, 'utf8'))).toEqual(first);
    await database.close();
    await database.close();
    expect(existsSync(`${dir}.holder`)).toBe(false);
  });

  it('brings a new database to the current layout', async () => {
    const database = await openAs(first);
    expect(await database.db.get('!meta!layout-version')).toBe('1');
  });

  it('waits while another handle holds the lock, announcing the holder once, and opens when it is released', async () => {
    const holding = await openAs(first);
    const announced: string[] = [];
    let sleeps = 0;
    const second = await openAs(
      { ...first, command: 'genledger log' },
      {
        lockTimeoutMs: 10_000,
        onWaiting: (holder) => announced.push(holder),
        sleep: async () => {
          sleeps += 1;
          if (sleeps === 3) await holding.close();
        },
      },
    );
    expect(second.db.status).toBe('open');
    expect(sleeps).toBe(3);
    expect(announced).toEqual([`pid ${process.pid} (user alice, command 'genledger profile install hello', since 2025-01-01T00:00:00.000Z)`]);
  });

  it('gives up after the timeout with exit 3 and a message naming the holder', async () => {
    await openAs(first);
    const slept: number[] = [];
    const attempt = openAs({ ...first, command: 'genledger log' }, { lockTimeoutMs: 100, sleep: async (ms) => void slept.push(ms) });
    await expect(attempt).rejects.toMatchObject({
      code: 'GENLEDGER_LOCK_TIMEOUT',
      exitCode: 3,
      message: `the database ${dir} is locked by pid ${process.pid} (user alice, command 'genledger profile install hello', since 2025-01-01T00:00:00.000Z); gave up after 0.1s`,
    });
    expect(slept.reduce((sum, ms) => sum + ms, 0)).toBe(100);
  });

  it('reports a holder record left by a dead process as stale, and a missing one as unknown', async () => {
    await openAs(first);
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(`${dir}.holder`, JSON.stringify({ ...first, pid: dead }));
    await expect(openAs(first)).rejects.toMatchObject({
      message: expect.stringContaining(`locked by an unknown process (the holder record names pid ${dead} (user alice,`) as string,
    });
    await expect(openAs(first)).rejects.toMatchObject({ message: expect.stringContaining('which is no longer running') as string });
    rmSync(`${dir}.holder`);
    await expect(openAs(first)).rejects.toMatchObject({ message: expect.stringContaining('an unknown process (no holder record)') as string });
  });

  it('names a file in the way of the database directory', async () => {
    writeFileSync(dir, 'not a database');
    await expect(openAs(first)).rejects.toMatchObject({ code: 'GENLEDGER_DB_NOT_A_DIRECTORY', exitCode: 1 });
  });

  it('reports a damaged database as an integrity failure without LevelDB text', async () => {
    await (await openAs(first)).close();
    writeFileSync(join(dir, 'CURRENT'), 'garbage');
    const error: unknown = await openAs(first).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'GENLEDGER_DB_CORRUPT', exitCode: 4 });
    expect((error as Error).message).not.toMatch(/CURRENT|Corruption/);
  });

  it('refuses a database from a newer genledger and leaves it unlocked', async () => {
    const database = await openAs(first);
    await database.db.put('!meta!layout-version', '99');
    await database.close();
    await expect(openAs(first)).rejects.toMatchObject({ code: 'GENLEDGER_DB_TOO_NEW' });
    expect(existsSync(`${dir}.holder`)).toBe(false);
    const again = await openDatabase({ dir, lockTimeoutMs: 0, holder: first }).catch((reason: unknown) => reason);
    expect(again).toMatchObject({ code: 'GENLEDGER_DB_TOO_NEW' });
  });
});
