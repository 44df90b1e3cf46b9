/**
 * Layout 1: index events by id (`!ledger!id!<id>` → `{ stream, version }`).
 * Layout 0 kept events, log entries and heads only, so re-appending an event
 * after a lost acknowledgement could not be recognised as a repeat. This
 * builds the index from the stored events. Keys are spelled out here, not
 * taken from ledger-keys.ts, because a migration describes the layout of
 * its own time and must not change when the current layout does. An event
 * value that does not parse is left out; `genledger verify` reports it.
 */
import { canonicalJson } from '../../src/ledger/canonical-json.js';
import type { LayoutMigration, LayoutOperation } from '../../src/ledger/layout-migration.js';

const EVENT_KEY = /^stream!(.+)!(\d{16})$/;

export const eventIdIndex: LayoutMigration = {
  version: 1,
  description: 'index events by id, so re-appending a stored event is recognised',
  async up(db) {
    const ledger = db.sublevel<string, string>('ledger', { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    const operations: LayoutOperation[] = [];
    for await (const [key, value] of ledger.iterator({ gte: 'stream!', lt: 'stream"' })) {
      const match = EVENT_KEY.exec(key);
      const id = idOf(value);
      if (match === null || id === null) continue;
      const place = canonicalJson({ stream: match[1], version: Number(match[2]) });
      operations.push({ type: 'put', sublevel: ledger, key: `id!${id}`, value: place });
    }
    return operations;
  },
};

function idOf(text: string): string | null {
  try {
    const event = JSON.parse(text) as { id?: unknown };
    return typeof event.id === 'string' && event.id !== '' ? event.id : null;
  } catch {
    return null;
  }
}
