import { describe, expect, it } from 'vitest';
import { parseDrvName, sortedPackageNames, storePathName } from '../../../src/projection/drv-name.js';
import { P1, P2 } from './tree-fixtures.js';

describe('parseDrvName', () => {
  it.each([
    { full: 'pkga-1.0', name: 'pkga', version: '1.0' },
    { full: 'apache-httpd-2.0.48', name: 'apache-httpd', version: '2.0.48' },
    { full: 'hello', name: 'hello', version: '' },
    { full: 'firefox-bin-unwrapped-120.0', name: 'firefox-bin-unwrapped', version: '120.0' },
    { full: 'python3.11-pip-23.1-dist', name: 'python3.11-pip', version: '23.1-dist' },
    { full: 'foo-', name: 'foo-', version: '' },
    { full: 'foo--1', name: 'foo', version: '-1' },
    { full: 'foo-é', name: 'foo', version: 'é' },
    // Nix's own cases (tests/lang/eval-okay-versions.nix)
    { full: 'hello-1.0.2', name: 'hello', version: '1.0.2' },
    { full: '915resolution-0.5.2', name: '915resolution', version: '0.5.2' },
    { full: 'xf86-video-i810-1.7.4', name: 'xf86-video-i810', version: '1.7.4' },
  ])('splits $full into ($name, $version)', ({ full, name, version }) => {
    expect(parseDrvName(full)).toEqual({ name, version });
  });
});

describe('storePathName', () => {
  it('drops the store directory, the hash part and its dash', () => {
    expect(storePathName(P1)).toBe('pkga-1.0');
    expect(storePathName('/home/u/.local/state/genledger/store/l5y46b8p9il518p7jhl4nnsh86xlry98-pkgb-2.0')).toBe('pkgb-2.0');
  });
});

describe('sortedPackageNames', () => {
  it('gives the distinct package names in byte order', () => {
    expect(sortedPackageNames([P2, P1, P1.replace('1.0', '1.1')])).toEqual(['pkga', 'pkgb']);
  });
});
