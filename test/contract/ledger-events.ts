/**
 * Deterministic events for ledger tests: ids `<prefix>-<n>`, one minute
 * apart from 2025-01-01T00:00:00Z, a fixed actor. Nothing random.
 */
import type { NewEvent } from '../../src/ledger/event.js';
import type { Actor } from '../../src/world.js';

export const alice: Actor = { user: 'alice', uid: 1000, host: 'demo' };

const EPOCH = Date.UTC(2025, 0, 1);

export function minute(n: number): string {
  return new Date(EPOCH + n * 60_000).toISOString();
}

export type EventMaker = (overrides?: Partial<NewEvent>) => NewEvent;

export function eventMaker(prefix = 'evt'): EventMaker {
  let count = 0;
  return (overrides = {}) => {
    count += 1;
    return {
      id: `${prefix}-${count}`,
      type: 'PackagesInstalled',
      v: 2,
      at: minute(count),
      actor: alice,
      command: ['genledger', 'profile', 'install', `pkg${count}`],
      data: { elements: [{ name: `pkg${count}`, storePaths: [`/nix/store/${'a'.repeat(32)}-pkg${count}`], priority: 5 }] },
      ...overrides,
    };
  };
}
