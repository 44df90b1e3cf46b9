import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/ledger/canonical-json.js';
import { eventHash, newEventProblem, sealEvent, storedEventProblem } from '../../../src/ledger/event.js';
import type { StoredEvent, UnsealedEvent } from '../../../src/ledger/event.js';
import { streamNameProblem } from '../../../src/ledger/stream-name.js';
import { eventMaker } from '../../contract/ledger-events.js';

const envelope: UnsealedEvent = {
  id: 'evt-1',
  stream: 'profile',
  version: 1,
  type: 'PackagesInstalled',
  v: 2,
  at: '2025-01-01T00:01:00.000Z',
  actor: { user: 'alice', uid: 1000, host: 'demo' },
  command: ['genledger', 'profile', 'install', 'hello'],
  data: { elements: [{ name: 'hello', storePaths: ['/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-hello'], priority: 5 }] },
  prev: null,
};

// Written by hand and hashed with `sha256sum`: the byte format is frozen, since every stored hash depends on it.
const CANONICAL =
  '{"actor":{"host":"demo","uid":1000,"user":"alice"},"at":"2025-01-01T00:01:00.000Z","command":["genledger","profile","install","hello"],' +
  '"data":{"elements":[{"name":"hello","priority":5,"storePaths":["/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-hello"]}]},' +
  '"id":"evt-1","prev":null,"stream":"profile","type":"PackagesInstalled","v":2,"version":1}';
const HASH = '33e522448e2d8d6de8e317bfd5b5ba083aa119271dc789660e70856592598717';

describe('event envelope', () => {
  it('hashes the canonical JSON of every field but hash and sig', () => {
    expect(canonicalJson(envelope)).toBe(CANONICAL);
    expect(eventHash(envelope)).toBe(HASH);
    const sealed: StoredEvent = { ...envelope, hash: HASH, sig: 'key:c2ln' };
    expect(eventHash(sealed)).toBe(HASH);
  });

  it('seals an event into its hash and the canonical JSON of the event with hash and sig', () => {
    expect(sealEvent(envelope)).toEqual({ hash: HASH, text: canonicalJson({ ...envelope, hash: HASH }) });
    const signed = sealEvent({ ...envelope, reason: 'why' }, { sign: (hash) => `key:${hash.slice(0, 8)}` });
    const hash = eventHash({ ...envelope, reason: 'why' });
    expect(signed).toEqual({ hash, text: canonicalJson({ ...envelope, reason: 'why', hash, sig: `key:${hash.slice(0, 8)}` }) });
    const { command: _command, ...withoutCommand } = envelope;
    expect(sealEvent(withoutCommand).text).toBe(canonicalJson({ ...withoutCommand, hash: eventHash(withoutCommand) }));
  });

  it('changes the hash when any sealed field changes', () => {
    const variants: UnsealedEvent[] = [
      { ...envelope, id: 'evt-2' },
      { ...envelope, stream: 'system' },
      { ...envelope, version: 2 },
      { ...envelope, v: 3 },
      { ...envelope, at: '2025-01-01T00:01:00.001Z' },
      { ...envelope, actor: { ...envelope.actor, sudoUser: 'root' } },
      { ...envelope, reason: 'why' },
      { ...envelope, data: {} },
      { ...envelope, prev: HASH },
    ];
    expect(new Set(variants.map(eventHash)).size).toBe(variants.length);
    expect(variants.map(eventHash)).not.toContain(HASH);
  });

  it.each([
    ['an unknown field', { extra: 1 }, "unknown field 'extra'"],
    ['an empty id', { id: '' }, 'its id'],
    ['a local time', { at: '2025-01-01T00:01:00' }, 'ISO-8601 UTC'],
    ['a date that does not exist', { at: '2025-02-30T00:00:00Z' }, 'ISO-8601 UTC'],
    ['an actor without uid', { actor: { user: 'alice', host: 'demo' } }, 'numeric uid'],
    ['a command that is not a list', { command: 'genledger install' }, 'list of strings'],
    ['data that is not plain JSON', { data: { when: new Date(0) } }, 'plain JSON'],
    ['no data', { data: undefined }, 'no data'],
  ])('refuses a new event with %s', (_, overrides, problem) => {
    const event = { ...eventMaker()(), ...overrides };
    expect(newEventProblem(event)).toContain(problem);
  });

  it('requires a stored event to link its prev exactly when it is not the first', () => {
    const sealed = { ...envelope, hash: HASH };
    expect(storedEventProblem(sealed)).toBeNull();
    expect(storedEventProblem({ ...sealed, prev: HASH })).toContain('first version has a prev');
    expect(storedEventProblem({ ...sealed, version: 2 })).toContain('no prev');
    expect(storedEventProblem({ ...sealed, hash: 'abc' })).toContain('hash');
  });
});

describe('stream names', () => {
  it.each(['profile', 'system', 'per-user/alice/profile', 'work.2025', 'naïve'])('accepts %s', (name) => {
    expect(streamNameProblem(name)).toBeNull();
  });

  it.each([
    ['', 'is empty'],
    ['a!b', "contains '!'"],
    ['a\u0000b', 'control character'],
    ['/profile', "starts with '/'"],
    ['profile/', "ends with '/'"],
    ['per-user//profile', 'empty segment'],
    ['per-user/../profile', "'..' segment"],
    ['./profile', "'.' segment"],
    ['p'.repeat(513), 'longer than 512'],
  ])('refuses %j because it %s', (name, problem) => {
    expect(streamNameProblem(name)).toContain(problem);
  });
});
