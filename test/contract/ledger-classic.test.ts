import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/ledger/database.js';
import { ledgerContract } from './ledger-contract.js';
import { levelFixture } from './level-fixture.js';

ledgerContract('classic-level in a temporary directory', async () => {
  const home = await mkdtemp(join(tmpdir(), 'genledger-ledger-'));
  const database = await openDatabase({
    dir: join(home, 'db'),
    lockTimeoutMs: 0,
    holder: { pid: process.pid, user: 'test', command: 'ledger contract', since: '2025-01-01T00:00:00.000Z' },
  });
  return levelFixture(database.db, async () => {
    await database.close();
    await rm(home, { recursive: true, force: true });
  });
});
