import { MemoryLevel } from 'memory-level';
import { migrateLayout } from '../../src/ledger/layout-migrations.js';
import { ledgerContract } from './ledger-contract.js';
import { levelFixture } from './level-fixture.js';

ledgerContract('memory-level', async () => {
  const db = new MemoryLevel<string, string>({ keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await db.open();
  await migrateLayout(db);
  return levelFixture(db, () => db.close());
});
