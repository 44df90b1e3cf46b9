import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeLink, replaceLink, switchLink } from '../../../src/fsx/atomic-link.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atomic-link-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('replaceLink and switchLink', () => {
  it('put a link with its mtime in place by temp link and rename, leaving no temporary entry', () => {
    replaceLink(join(dir, 'p-1-link'), '/nix/store/x-profile', 1_700_000_000, 42);
    replaceLink(join(dir, 'p-1-link'), '/nix/store/y-profile', 1_700_000_100, 42);
    switchLink(join(dir, 'p'), 'p-1-link', 1_700_000_200);
    expect(readlinkSync(join(dir, 'p-1-link'))).toBe('/nix/store/y-profile');
    expect(lstatSync(join(dir, 'p-1-link')).mtimeMs).toBe(1_700_000_100_000);
    expect(readlinkSync(join(dir, 'p'))).toBe('p-1-link');
    expect(readdirSync(dir).sort()).toEqual(['p', 'p-1-link']);
  });
});

describe('replaceLink', () => {
  it('makes the directories it needs', () => {
    replaceLink(join(dir, 'gcroots', 'auto', 'abc'), '/home/profiles/p-1-link', 1_700_000_000, 42);
    expect(readlinkSync(join(dir, 'gcroots', 'auto', 'abc'))).toBe('/home/profiles/p-1-link');
  });

  it('takes back a generation link someone replaced with a directory or a file', () => {
    mkdirSync(join(dir, 'p-1-link', 'planted'), { recursive: true });
    writeFileSync(join(dir, 'p-2-link'), 'not a link');
    replaceLink(join(dir, 'p-1-link'), '/nix/store/x-profile', 1_700_000_000, 42);
    replaceLink(join(dir, 'p-2-link'), '/nix/store/y-profile', 1_700_000_000, 42);
    expect([readlinkSync(join(dir, 'p-1-link')), readlinkSync(join(dir, 'p-2-link'))]).toEqual(['/nix/store/x-profile', '/nix/store/y-profile']);
    expect(readdirSync(dir).sort()).toEqual(['p-1-link', 'p-2-link']);
  });
});

describe('switchLink', () => {
  it('never replaces a profile path that holds something else than a link', () => {
    writeFileSync(join(dir, 'p'), 'the user\'s file');
    expect(() => switchLink(join(dir, 'p'), 'p-1-link', 1_700_000_000)).toThrow(expect.objectContaining({ code: 'GENLEDGER_PROFILE_PATH_TAKEN' }));
    expect(readdirSync(dir)).toEqual(['p']);
  });
});

describe('removeLink', () => {
  it('removes a link, a directory someone put in its place, or nothing', () => {
    symlinkSync('/nix/store/x-profile', join(dir, 'link'));
    mkdirSync(join(dir, 'planted', 'deeper'), { recursive: true });
    writeFileSync(join(dir, 'planted', 'deeper', 'file'), 'x');
    writeFileSync(join(dir, 'file'), 'x');
    for (const name of ['link', 'planted', 'file', 'never-there']) removeLink(join(dir, name));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes a link, never what it points to', () => {
    writeFileSync(join(dir, 'target'), 'kept');
    symlinkSync(join(dir, 'target'), join(dir, 'link'));
    removeLink(join(dir, 'link'));
    expect(existsSync(join(dir, 'target'))).toBe(true);
    expect(readdirSync(dir)).toEqual(['target']);
  });
});
