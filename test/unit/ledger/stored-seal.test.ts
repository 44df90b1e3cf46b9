import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/ledger/canonical-json.js';
import { eventHash, sealEvent } from '../../../src/ledger/event.js';
import type { UnsealedEvent } from '../../../src/ledger/event.js';
import { logEntryHash, sealLogEntry } from '../../../src/ledger/log-entry.js';
import { sealHolds } from '../../../src/ledger/stored-seal.js';

const placed: UnsealedEvent = {
  id: 'evt-1',
  stream: 'profile',
  version: 2,
  type: 'PackagesInstalled',
  v: 2,
  at: '2025-01-01T00:01:00.000Z',
  actor: { user: 'alice', uid: 1000, host: 'demo' },
  reason: 'try "quotes", \\ and ,"hash":"x" in a string',
  // Nested members named like the seal: only the top-level ones are the seal.
  data: { hash: 'f'.repeat(64), nested: { a: 1, hash: 'e'.repeat(64), sig: 'k:AAAA' } },
  prev: 'a'.repeat(64),
};

const neverRecomputed = (): string => {
  throw new Error('recomputed the hash of a canonical text');
};

describe('sealHolds', () => {
  it('checks a stored event from its stored bytes, signed or not, without encoding it again', () => {
    for (const signer of [undefined, { sign: (hash: string) => `key-1:${Buffer.from(hash).toString('base64')}` }]) {
      const { hash, text } = sealEvent(placed, signer);
      const stored = JSON.parse(text) as { hash: string; sig?: string };
      expect(sealHolds(text, hash, stored.sig, neverRecomputed)).toBe(true);
    }
  });

  it('checks a stored log entry from its stored bytes', () => {
    const { hash, text } = sealLogEntry({ seq: 7, stream: 'profile', version: 2, eventHash: 'b'.repeat(64), prev: 'c'.repeat(64) });
    expect(sealHolds(text, hash, undefined, neverRecomputed)).toBe(true);
    expect(text).toBe(canonicalJson({ seq: 7, stream: 'profile', version: 2, eventHash: 'b'.repeat(64), prev: 'c'.repeat(64), hash }));
    expect(hash).toBe(logEntryHash(JSON.parse(text) as Parameters<typeof logEntryHash>[0]));
  });

  it('falls back to encoding the record again when the stored text is not canonical, and accepts it if the values are sealed', () => {
    const { hash } = sealEvent(placed);
    const spaced = JSON.stringify({ ...placed, hash }, null, 1);
    let recomputed = 0;
    expect(
      sealHolds(spaced, hash, undefined, () => {
        recomputed += 1;
        return eventHash(JSON.parse(spaced) as UnsealedEvent);
      }),
    ).toBe(true);
    expect(recomputed).toBe(1);
  });

  it('refuses a text whose sealed bytes changed', () => {
    const { hash, text } = sealEvent(placed);
    const changed = text.replace('"uid":1000', '"uid":1001');
    expect(sealHolds(changed, hash, undefined, () => eventHash(JSON.parse(changed) as UnsealedEvent))).toBe(false);
  });

  it('refuses a text that lacks its seal members', () => {
    const { hash, text } = sealEvent(placed);
    expect(sealHolds(text, hash, 'key-1:AAAA', () => 'another hash')).toBe(false);
    expect(sealHolds(text.replace(`,"hash":"${hash}"`, ''), hash, undefined, () => 'another hash')).toBe(false);
  });
});
