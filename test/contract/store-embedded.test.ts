import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/ledger/database.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { PathInfoDb } from '../../src/store/path-info-db.js';
import { removeTree } from '../../src/store/remove-tree.js';
import { StoreLocation } from '../../src/store/store-location.js';
import { storeContract } from './store-contract.js';

storeContract('the embedded store, a chroot-style store in a temporary directory', 'embedded', async () => {
  const root = await mkdtemp(join(tmpdir(), 'genledger-store-'));
  const database = await openDatabase({
    dir: join(root, 'db'),
    lockTimeoutMs: 0,
    holder: { pid: process.pid, user: 'test', command: 'store contract', since: '2025-01-01T00:00:00.000Z' },
  });
  const location = new StoreLocation('/nix/store', join(root, 'nix/store'));
  return {
    store: new EmbeddedStore(location, new PathInfoDb(database.db)),
    close: async () => {
      await database.close();
      removeTree(root);
      await rm(root, { recursive: true, force: true });
    },
  };
});
