/**
 * Adapts an open LevelDB database (memory-level or classic-level) to the
 * ledger contract's fixture, with fault injection through abstract-level's
 * prewrite hook: the next write that touches the global log fails, so a
 * ledger that wrote its events and its log in separate writes would be
 * caught leaving half an append behind. The hook sees a key with its
 * sublevel prefix (`!ledger!log!…`) or, for a put given a `sublevel`
 * option, the key within it (`log!…`).
 */
import type { LevelDatabase } from '../../src/ledger/ledger-keys.js';
import { createLevelLedger } from '../../src/ledger/level-ledger.js';
import type { LedgerFixture } from './ledger-contract.js';

export function levelFixture(db: LevelDatabase, close: () => Promise<void>): LedgerFixture {
  return {
    ledger: (options = {}) => createLevelLedger(db, options),
    failNextWrite() {
      const hook = (op: { key: unknown }): void => {
        const key = typeof op.key === 'string' ? op.key : Buffer.from(op.key as Uint8Array).toString('utf8');
        if (!/(^|!)log!/.test(key)) return;
        db.hooks.prewrite.delete(hook);
        throw new Error('injected write failure');
      };
      db.hooks.prewrite.add(hook);
    },
    close,
  };
}
