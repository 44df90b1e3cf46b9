import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/ledger/canonical-json.js';
import { eventHash } from '../../src/ledger/event.js';
import type { StoredEvent } from '../../src/ledger/event.js';
import { catalog, homeState, jsonOf, makeStoreHome, snapshotTree } from './bundle-fixtures.js';
import type { StoreHome } from './bundle-fixtures.js';

/**
 * The README's migration recipe, verbatim: host A records its profiles and
 * its system without signing any event, exports with --sign-key, and host B
 * imports with --trusted-key. The signed heads vouch for every stream; each
 * way of breaking that vouching is refused with exit 4 and B unchanged.
 */
describe('export --sign-key and import --trusted-key: signed heads', () => {
  let a: StoreHome;
  let b: StoreHome;
  let temp: string;
  let keys: string;
  let usb: string;

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'genledger-signed-heads-'));
    keys = join(temp, 'keys');
    usb = join(temp, 'usb', 'profiles');
    a = makeStoreHome({ start: '2026-01-10T08:00:00Z', actor: { user: 'alice', uid: 1000, host: 'host-a' } });
    b = makeStoreHome({ start: '2026-03-20T17:00:00Z', actor: { user: 'bob', uid: 1001, host: 'host-b' } });
    await a.ok('profile', 'install', `${catalog}#hello`);
    await a.ok('profile', 'install', `${catalog}#greet`);
    await a.ok('-p', 'work', 'profile', 'install', `${catalog}#figlet-lite`);
    await a.ok('system', 'switch', 'examples/system/gen-a', '--no-activate');
    await a.ok('system', 'boot', 'examples/system/gen-b', '--no-activate');
    // The recipe, as the README writes it.
    await a.ok('key', 'generate', 'host-a-1', '--dir', keys);
    await a.ok('export', '--to', usb, '--with-store', '--sign-key', join(keys, 'host-a-1.sec'));
  });

  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
    rmSync(temp, { recursive: true, force: true });
  });

  const bundleCopy = (name: string) => {
    const dir = join(temp, name);
    cpSync(usb, dir, { recursive: true });
    return dir;
  };
  const header = (dir: string) => JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8'));
  const writeHeader = (dir: string, value: unknown) => writeFileSync(join(dir, 'bundle.json'), JSON.stringify(value));
  const streamFile = (dir: string, stream: string) => join(dir, 'streams', `${stream}.ndjson`);
  const events = (dir: string, stream: string) => readFileSync(streamFile(dir, stream), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as StoredEvent);
  const writeEvents = (dir: string, stream: string, list: StoredEvent[]) => writeFileSync(streamFile(dir, stream), list.map((event) => `${canonicalJson(event)}\n`).join(''));
  /** Recomputes every hash and link from version 1, as a forger who holds no key can. */
  const rechain = (list: StoredEvent[]) => {
    let prev: string | null = null;
    return list.map((event) => {
      const { hash: _hash, sig: _sig, ...rest } = event;
      const unsigned = { ...rest, prev } as StoredEvent;
      const hash = eventHash(unsigned);
      prev = hash;
      return { ...unsigned, hash };
    });
  };

  const refusals: Array<{ name: string; damage: (dir: string) => void; keyFile?: () => string; code: string; message: RegExp }> = [
    {
      name: 'a tampered head signature',
      damage: (dir) => {
        const value = header(dir);
        const entry = value.streams.find((s: { stream: string }) => s.stream === 'profile');
        entry.sig = `host-a-1:${Buffer.alloc(64, 7).toString('base64')}`;
        writeHeader(dir, value);
      },
      code: 'GENLEDGER_BAD_SIGNATURE',
      message: /the head of 'profile' \(version 3\) in the bundle is signed with a signature that does not verify/,
    },
    {
      name: 'a head signed by a key that is not trusted',
      damage: () => undefined,
      keyFile: () => join(keys, 'someone-else-1.pub'),
      code: 'GENLEDGER_BAD_SIGNATURE',
      message: /event 1 of '.*' in the bundle is not signed, and its head is signed by 'host-a-1', which is not a --trusted-key/,
    },
    {
      name: 'a head that does not match the last event',
      damage: (dir) => writeEvents(dir, 'profile', events(dir, 'profile').slice(0, 1)),
      code: 'GENLEDGER_BAD_BUNDLE',
      message: /stream 'profile' ends at version 1, but the header says version 3/,
    },
    {
      name: 'an event changed below a signed head (its hash recomputed: the chain breaks)',
      damage: (dir) => {
        const list = events(dir, 'profile');
        const first = { ...list[0], reason: 'forged' } as StoredEvent;
        list[0] = { ...first, hash: eventHash(first) };
        writeEvents(dir, 'profile', list);
      },
      code: 'GENLEDGER_BAD_BUNDLE',
      message: /event 2 of 'profile'\) does not chain to the event before it/,
    },
    {
      name: 'a whole stream rewritten and its head re-announced (the signature no longer covers it)',
      damage: (dir) => {
        const list = rechain(events(dir, 'profile').map((event, index) => (index === 0 ? ({ ...event, reason: 'forged' } as StoredEvent) : event)));
        writeEvents(dir, 'profile', list);
        const value = header(dir);
        const entry = value.streams.find((s: { stream: string }) => s.stream === 'profile');
        entry.hash = list[list.length - 1]?.hash;
        writeHeader(dir, value);
      },
      code: 'GENLEDGER_BAD_SIGNATURE',
      message: /the head of 'profile' \(version 3\) in the bundle is signed with a signature that does not verify/,
    },
  ];

  it.each(refusals)('refuses $name with exit 4 and leaves the importing home unchanged', async ({ name, damage, keyFile, code, message }) => {
    if (keyFile !== undefined) await a.cli('key', 'generate', 'someone-else-1', '--dir', keys);
    const dir = bundleCopy(name.replace(/\W+/g, '-'));
    damage(dir);
    const before = await homeState(b);
    const result = await b.cli('import', dir, '--trusted-key', keyFile?.() ?? join(keys, 'host-a-1.pub'), '--json');
    expect(result.code, result.stderr).toBe(4);
    expect(JSON.parse(result.stderr).error).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await homeState(b)).toEqual(before);
  });

  it('signs each head in a version 2 header, without any event having been signed', () => {
    const value = header(usb);
    expect(value.version).toBe(2);
    expect(value.streams.map((s: { stream: string }) => s.stream).sort()).toEqual(['profile', 'system', 'work']);
    for (const entry of value.streams) {
      expect(entry.sig).toMatch(/^host-a-1:[A-Za-z0-9+/]{86}==$/);
      for (const event of events(usb, entry.stream)) expect(event.sig).toBeUndefined();
    }
  });

  it('imports with --trusted-key as the README says, into byte-identical generations, boot entries and system links', async () => {
    const dryRun = await b.ok('import', usb, '--trusted-key', join(keys, 'host-a-1.pub'), '--dry-run');
    expect(dryRun.stdout).toMatch(/would append 4 events to 'system'/);
    await b.ok('import', usb, '--trusted-key', join(keys, 'host-a-1.pub'));
    expect(snapshotTree(join(b.home, 'profiles'))).toEqual(snapshotTree(join(a.home, 'profiles')));
    expect(snapshotTree(join(b.home, 'boot'))).toEqual(snapshotTree(join(a.home, 'boot')));
    expect(snapshotTree(join(b.home, 'run'))).toEqual(snapshotTree(join(a.home, 'run')));
    expect((await b.ok('profile', 'list-generations', '--json')).stdout).toBe((await a.ok('profile', 'list-generations', '--json')).stdout);
    expect((await b.ok('system', 'list-generations', '--json')).stdout).toBe((await a.ok('system', 'list-generations', '--json')).stdout);
    expect((await b.ok('log', '--json')).stdout).toBe((await a.ok('log', '--json')).stdout);
    await b.ok('verify');
    const again = jsonOf<{ upToDate: boolean }>(await b.ok('import', usb, '--trusted-key', join(keys, 'host-a-1.pub'), '--json'));
    expect(again.upToDate).toBe(true);
  });

  it('exports the system profile alone with -p system, with its store paths', async () => {
    const dir = join(temp, 'system-only');
    const result = jsonOf<{ format: number; streams: Array<{ stream: string }>; store: { paths: number } }>(await a.ok('export', '-p', 'system', '--to', dir, '--with-store', '--json'));
    expect(result.format).toBe(1);
    expect(result.streams.map((s) => s.stream)).toEqual(['system']);
    expect(result.store.paths).toBe(2);
    const c = makeStoreHome({ start: '2026-04-01T00:00:00Z', actor: { user: 'carol', uid: 1002, host: 'host-c' } });
    try {
      await c.ok('import', dir);
      expect(snapshotTree(join(c.home, 'boot'))).toEqual(snapshotTree(join(a.home, 'boot')));
      expect(jsonOf<{ bootDefault: { generation: number } }>(await c.ok('system', 'status', '--json')).bootDefault.generation).toBe(2);
      await c.ok('verify');
    } finally {
      c.cleanup();
    }
  });

  it('refuses a forged system event, hashes recomputed, before anything is written', async () => {
    const dir = bundleCopy('forged-system');
    const value = header(dir);
    value.version = 1;
    for (const entry of value.streams) delete entry.sig;
    const list = rechain(events(dir, 'system').map((event) => (event.version === 3 ? ({ ...event, data: { ...(event.data as object), generation: 7 } } as StoredEvent) : event)));
    writeEvents(dir, 'system', list);
    const entry = value.streams.find((s: { stream: string }) => s.stream === 'system');
    entry.hash = list[list.length - 1]?.hash;
    writeHeader(dir, value);
    const c = makeStoreHome({ start: '2026-04-01T00:00:00Z', actor: { user: 'carol', uid: 1002, host: 'host-c' } });
    try {
      const before = await homeState(c);
      const result = await c.cli('import', dir, '--json');
      expect(result.code, result.stderr).toBe(4);
      expect(JSON.parse(result.stderr).error).toMatchObject({ code: 'GENLEDGER_INVALID_EVENT', message: expect.stringMatching(/event 3 of 'system' is invalid: a new generation must be 2/) });
      expect(await homeState(c)).toEqual(before);
    } finally {
      c.cleanup();
    }
  });
});
