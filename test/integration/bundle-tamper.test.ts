import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog, homeState, jsonOf, makeStoreHome } from './bundle-fixtures.js';
import type { StoreHome } from './bundle-fixtures.js';

/**
 * A bundle is untrusted input: every way of damaging one is refused before
 * the importing home changes at all. Home B has imported an earlier bundle
 * of A's profile; each case damages a copy of the later bundle, which holds
 * new events and new store paths, so a partial import would show.
 */
describe('importing a damaged bundle', () => {
  let a: StoreHome;
  let b: StoreHome;
  let temp: string;
  let pristine: string;
  let publicKey: string;
  let otherKey: string;
  let greet: string;
  let figlet: string;

  const sign = (...argv: string[]) => a.ok('--sign-key', join(temp, 'keys', 'host-a-1.sec'), ...argv);

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'genledger-tamper-'));
    a = makeStoreHome({ start: '2026-01-10T08:00:00Z', actor: { user: 'alice', uid: 1000, host: 'host-a' } });
    b = makeStoreHome({ start: '2026-03-20T17:00:00Z', actor: { user: 'bob', uid: 1001, host: 'host-b' } });
    await a.ok('key', 'generate', 'host-a-1', '--dir', join(temp, 'keys'));
    await a.ok('key', 'generate', 'someone-else-1', '--dir', join(temp, 'keys'));
    publicKey = join(temp, 'keys', 'host-a-1.pub');
    otherKey = join(temp, 'keys', 'someone-else-1.pub');
    await sign('profile', 'install', `${catalog}#hello`);
    await sign('export', '--to', join(temp, 'first'), '--with-store');
    await b.ok('import', join(temp, 'first'), '--trusted-key', publicKey);
    await sign('profile', 'install', `${catalog}#greet`);
    await sign('profile', 'install', `${catalog}#figlet-lite`);
    pristine = join(temp, 'second');
    await sign('export', '--to', pristine, '--with-store');
    const elements = jsonOf<{ elements: Array<{ name: string; storePaths: string[] }> }>(await a.ok('profile', 'list', '--json')).elements;
    const pathOf = (name: string) => elements.find((element) => element.name === name)?.storePaths[0] ?? '';
    greet = pathOf('greet');
    figlet = pathOf('figlet-lite');
  });

  afterAll(() => {
    a?.cleanup();
    b?.cleanup();
    rmSync(temp, { recursive: true, force: true });
  });

  const streamFile = (dir: string) => join(dir, 'streams', 'profile.ndjson');
  const narInfoFile = (dir: string, path: string) => join(dir, 'cache', `${path.slice('/nix/store/'.length, '/nix/store/'.length + 32)}.narinfo`);
  const narFile = (dir: string, path: string) => join(dir, 'cache', /^URL: (.*)$/m.exec(readFileSync(narInfoFile(dir, path), 'utf8'))?.[1] ?? '');
  const edit = (file: string, change: (text: string) => string) => writeFileSync(file, change(readFileSync(file, 'utf8')));
  const editLines = (file: string, change: (lines: string[]) => string[]) => edit(file, (text) => `${change(text.trimEnd().split('\n')).join('\n')}\n`);
  const editHeader = (dir: string, change: (header: { streams: Array<Record<string, unknown>> }) => void) =>
    edit(join(dir, 'bundle.json'), (text) => {
      const header = JSON.parse(text);
      change(header);
      return JSON.stringify(header);
    });

  const cases: Array<{ name: string; damage: (dir: string) => void; args?: () => string[]; code: string; message: RegExp }> = [
    {
      name: 'an event whose data was edited by one byte',
      damage: (dir) =>
        editLines(streamFile(dir), (lines) =>
          lines.map((line, index) => {
            if (index !== lines.length - 1) return line;
            const at = line.indexOf('/nix/store/', line.indexOf('"data":')) + '/nix/store/'.length;
            return `${line.slice(0, at)}${line[at] === 'a' ? 'b' : 'a'}${line.slice(at + 1)}`;
          }),
        ),
      code: 'GENLEDGER_BAD_BUNDLE',
      message: /does not match its hash/,
    },
    {
      name: 'a dropped event',
      damage: (dir) => editLines(streamFile(dir), (lines) => lines.filter((_, index) => index !== 2)),
      code: 'GENLEDGER_BAD_BUNDLE',
      message: /an event was dropped/,
    },
    {
      name: 'a dropped last event',
      damage: (dir) => editLines(streamFile(dir), (lines) => lines.slice(0, -1)),
      code: 'GENLEDGER_BAD_BUNDLE',
      message: /but the header says version 4/,
    },
    {
      name: "another path's NAR filed under this path's name",
      damage: (dir) => cpSync(narFile(dir, figlet), narFile(dir, greet)),
      code: 'GENLEDGER_NAR_HASH_MISMATCH',
      message: /FileSize|FileHash|NarHash/,
    },
    {
      name: 'an event signature that does not verify, with --trusted-key',
      damage: (dir) => editLines(streamFile(dir), (lines) => lines.map((line, index) => (index === 2 ? line.replace(/("sig":"host-a-1:)(.)/, (_, prefix, c) => `${prefix}${c === 'A' ? 'B' : 'A'}`) : line))),
      args: () => ['--trusted-key', publicKey],
      code: 'GENLEDGER_BAD_SIGNATURE',
      message: /event 3 of 'profile' .* does not verify/,
    },
    {
      name: 'events signed by a key that is not trusted',
      damage: () => undefined,
      args: () => ['--trusted-key', otherKey],
      code: 'GENLEDGER_BAD_SIGNATURE',
      message: /not signed by a trusted key/,
    },
    {
      name: 'a narinfo that claims a path outside the store',
      damage: (dir) => edit(narInfoFile(dir, greet), (text) => text.replace(/^StorePath: .*$/m, 'StorePath: /etc/passwd')),
      code: 'GENLEDGER_BAD_BUNDLE',
      message: /not a store path in \/nix\/store/,
    },
    {
      name: "a header naming a stream file with '..'",
      damage: (dir) => editHeader(dir, (header) => void ((header.streams[0] as Record<string, unknown>).file = '../../../outside.ndjson')),
      code: 'GENLEDGER_BAD_BUNDLE',
      message: /names the file "\.\.\/\.\.\/\.\.\/outside\.ndjson"/,
    },
    {
      name: "a stream named with a '..' segment",
      damage: (dir) => editHeader(dir, (header) => void ((header.streams[0] as Record<string, unknown>).stream = '../profile')),
      code: 'GENLEDGER_BAD_BUNDLE',
      message: /has a '\.\.' segment/,
    },
    {
      name: 'a stream file that is a symbolic link',
      damage: (dir) => {
        rmSync(streamFile(dir));
        symlinkSync('/dev/zero', streamFile(dir));
      },
      code: 'GENLEDGER_BAD_BUNDLE',
      message: /is not a regular file/,
    },
    {
      name: 'a stream file of absurd size',
      damage: (dir) => truncateSync(streamFile(dir), 300 * 1024 * 1024),
      code: 'GENLEDGER_BAD_BUNDLE',
      message: /more than the \d+ allowed/,
    },
    {
      name: 'a header claiming an absurd stream version',
      damage: (dir) => editHeader(dir, (header) => void ((header.streams[0] as Record<string, unknown>).version = 1e15)),
      code: 'GENLEDGER_BAD_BUNDLE',
      message: /header says version 1000000000000000/,
    },
    {
      name: 'a narinfo claiming an absurd NarSize',
      damage: (dir) => edit(narInfoFile(dir, greet), (text) => text.replace(/^NarSize: .*$/m, 'NarSize: 9999999999999999')),
      code: 'GENLEDGER_BAD_BUNDLE',
      message: /NarSize '9999999999999999' is not a sane size/,
    },
    {
      name: 'a narinfo claiming a NarSize its NAR does not have',
      damage: (dir) => edit(narInfoFile(dir, greet), (text) => text.replace(/^NarSize: .*$/m, 'NarSize: 999999999999')),
      code: 'GENLEDGER_NAR_HASH_MISMATCH',
      message: /NarSize/,
    },
  ];

  it.each(cases)('refuses $name, and the home does not change', async ({ name, damage, args, code, message }) => {
    const dir = join(temp, `damaged-${cases.findIndex((c) => c.name === name)}`);
    cpSync(pristine, dir, { recursive: true });
    damage(dir);
    const before = await homeState(b);
    const result = await b.cli('import', dir, ...(args?.() ?? []), '--json');
    expect(result.stdout).toBe('');
    expect(result.code).toBe(4);
    const error = JSON.parse(result.stderr).error;
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(await homeState(b)).toEqual(before);
  });

  it('imports the undamaged bundle, files it does not name ignored (so each refusal above had something to write)', async () => {
    writeFileSync(join(pristine, 'streams', 'unknown.ndjson'), 'not an event\n');
    writeFileSync(join(pristine, 'notes.txt'), 'added by hand');
    const before = await homeState(b);
    const result = jsonOf<{ streams: Array<{ events: string[] }>; substituted: unknown[] }>(await b.ok('import', pristine, '--trusted-key', publicKey, '--json'));
    expect(result.streams[0]?.events).toEqual(['PackagesInstalled', 'PackagesInstalled']);
    expect(result.substituted.length).toBeGreaterThan(0);
    expect(await homeState(b)).not.toEqual(before);
  });
});
