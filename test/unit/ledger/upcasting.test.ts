import { describe, expect, it } from 'vitest';
import { eventUpcasters } from '../../../migrations/events/index.js';
import { packagesInstalledV1ToV2 } from '../../../migrations/events/packages-installed-v1-to-v2.js';
import type { StoredEvent } from '../../../src/ledger/event.js';
import { compileUpcasters } from '../../../src/ledger/upcasting.js';
import type { Upcaster } from '../../../src/ledger/upcasting.js';
import { alice } from '../../contract/ledger-events.js';

const HELLO = '/nix/store/0c7bvmrgqjk5nq0x3lqx5h9s5mk2zq5c-hello-2.12.1';
const JQ = '/nix/store/a3zlvnswi1p8cg7i9w4lpnvaankc7dxx-jq-1.7';

function stored(overrides: Partial<StoredEvent>): StoredEvent {
  return {
    id: 'evt-1',
    stream: 'profile',
    version: 1,
    type: 'PackagesInstalled',
    v: 1,
    at: '2024-06-01T12:00:00Z',
    actor: alice,
    data: { storePaths: [HELLO, JQ] },
    prev: null,
    hash: '0'.repeat(64),
    ...overrides,
  };
}

describe('PackagesInstalled v1 → v2', () => {
  it('turns each flat store path into an element of its own at priority 5', () => {
    const lifted = packagesInstalledV1ToV2.up(stored({}));
    expect(lifted.v).toBe(2);
    expect(lifted.data).toEqual({
      elements: [
        { name: 'hello-2.12.1', storePaths: [HELLO], priority: 5 },
        { name: 'jq-1.7', storePaths: [JQ], priority: 5 },
      ],
    });
  });

  it('keeps the other data fields and the whole envelope, and does not touch its input', () => {
    const original = stored({ data: { storePaths: [HELLO], generation: 3 }, sig: 'k:s' });
    const snapshot = structuredClone(original);
    const lifted = packagesInstalledV1ToV2.up(original);
    expect(original).toEqual(snapshot);
    expect(lifted).toMatchObject({ id: 'evt-1', hash: original.hash, sig: 'k:s', data: { generation: 3 } });
  });
});

describe('compiled upcasters', () => {
  const upcast = compileUpcasters(eventUpcasters);

  it('lift an event through every step and leave current or unknown events alone', () => {
    expect(upcast(stored({})).v).toBe(2);
    const current = stored({ v: 2, data: { elements: [] } });
    expect(upcast(current)).toBe(current);
    const other = stored({ type: 'RootAdded' });
    expect(upcast(other)).toBe(other);
  });

  it('chain steps in order', () => {
    const bump = (from: number): Upcaster => ({ type: 'T', from, up: (event) => ({ ...event, v: from + 1, data: [...(event.data as number[]), from] }) });
    const chained = compileUpcasters([bump(2), bump(1), bump(3)]);
    expect(chained(stored({ type: 'T', v: 1, data: [] }))).toMatchObject({ v: 4, data: [1, 2, 3] });
  });

  it('refuse two upcasters for the same step, and an upcaster that skips a version', () => {
    expect(() => compileUpcasters([packagesInstalledV1ToV2, packagesInstalledV1ToV2])).toThrow('two upcasters');
    const skipping = compileUpcasters([{ type: 'T', from: 1, up: (event) => ({ ...event, v: 3 }) }]);
    expect(() => skipping(stored({ type: 'T' }))).toThrow('returned T v3');
  });
});
