/** Which elements remove and upgrade arguments name (element-matcher.ts, upgrade-selection.ts). */
import { describe, expect, it } from 'vitest';
import { elementMatcher, matcherKind } from '../../../src/domain/element-matcher.js';
import type { ProfileElement } from '../../../src/domain/profile-manifest.js';
import { upgradeSelection } from '../../../src/domain/upgrade-selection.js';

const storeDir = '/nix/store';
const hello: ProfileElement = { name: 'hello', active: true, priority: 5, storePaths: ['/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-hello-1.0'], source: { originalUrl: 'path:/c.json', url: 'path:/c.json?narHash=x', attrPath: 'packages.x86_64-linux.hello' } };
const vim: ProfileElement = { name: 'vim', active: true, priority: 5, storePaths: ['/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-vim-9.0'] };
const elements = [hello, vim];

const selected = (argument: string) => elements.filter((element, index) => elementMatcher(argument, storeDir)(element, index)).map((e) => e.name);

describe('element matchers as Nix 2.8', () => {
  it('reads a whole number as an index, a store path as a path, anything else as a pattern', () => {
    expect(['0', '12', '/nix/store/x', 'hello', '.*', '1a'].map((a) => matcherKind(a, storeDir))).toEqual(['index', 'index', 'store-path', 'pattern', 'pattern', 'pattern']);
    expect(selected('1')).toEqual(['vim']);
    expect(selected('2')).toEqual([]);
    expect(selected('/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-vim-9.0/bin/vim')).toEqual(['vim']);
  });

  it('matches a pattern against the whole attribute path (case-insensitive) and against names', () => {
    expect(selected('packages\\..*\\.HELLO')).toEqual(['hello']);
    expect(selected('hel')).toEqual([]);
    expect(selected('.*')).toEqual(['hello', 'vim']);
  });
});

describe('upgrade selection', () => {
  it("'.*' is every element with a source; an element without one is refused when named alone", () => {
    expect(upgradeSelection(elements, ['.*'], storeDir).map((e) => e.name)).toEqual(['hello']);
    expect(upgradeSelection(elements, [], storeDir).map((e) => e.name)).toEqual(['hello']);
    expect(() => upgradeSelection(elements, ['1'], storeDir)).toThrow("'vim' was installed from a store path");
    expect(() => upgradeSelection(elements, ['7'], storeDir)).toThrow("'7' is not a valid index");
  });
});
