/**
 * Flake references as text: which installables are flakes before the disk
 * is asked, and which references `nix profile upgrade` leaves alone.
 */
import { describe, expect, it } from 'vitest';
import { installableSyntax, isLockedFlakeRef } from '../../../src/nix-cli/flake-ref.js';

describe('installableSyntax', () => {
  it.each(['github:owner/repo#x', 'github:owner/repo', 'git+file:///srv/repo#x', 'git+https://example.org/r.git#x', 'flake:nixpkgs#hello', 'https://example.org/f.tar.gz#x', 'path:/srv/flake'])(
    'reads %s as a flake whatever the disk holds',
    (text) => expect(installableSyntax(text)).toEqual({ kind: 'flake' }),
  );

  it.each([
    ['.#hello', '.', 'hello', false],
    ['./dir#x', './dir', 'x', false],
    ['/abs/dir#x', '/abs/dir', 'x', false],
    ['path:/srv/flake#hello', '/srv/flake', 'hello', false],
    ['path:/srv/catalog.json#hello', '/srv/catalog.json', 'hello', false],
    ['examples/catalog.json#hello', 'examples/catalog.json', 'hello', true],
    ['nixpkgs#hello', 'nixpkgs', 'hello', true],
    ['nixpkgs/nixos-22.05#hello', 'nixpkgs/nixos-22.05', 'hello', true],
    ['catalog.json#hello', 'catalog.json', 'hello', false],
    ['.#', '.', '', false],
  ])('leaves %s to the disk (path %s, attribute %s, registry id %s)', (text, path, attr, registryId) => {
    expect(installableSyntax(text)).toEqual({ kind: 'local', path, attr, registryId });
  });

  it.each(['/nix/store/0c6kzph7l0dcbfmjap64f0czdafn3b7x-hello-1.0', './result', 'some-dir', 'nixpkgs'])('leaves %s (no # and no scheme) to the store-path and directory rules', (text) => {
    expect(installableSyntax(text)).toEqual({ kind: 'other' });
  });
});

describe('isLockedFlakeRef', () => {
  it.each([
    'path:/srv/flake?lastModified=1&narHash=sha256-AAAA',
    'git+file:///srv/repo?rev=0123456789abcdef0123456789abcdef01234567',
    'github:owner/repo/0123456789abcdef0123456789abcdef01234567',
    'flake:nixpkgs/0123456789abcdef0123456789abcdef01234567',
    'https://example.org/f.tar.gz?narHash=sha256-AAAA',
  ])('%s is locked', (url) => expect(isLockedFlakeRef(url)).toBe(true));

  it.each(['path:/srv/flake', 'git+file:///srv/repo', 'git+file:///srv/repo?ref=main', 'github:owner/repo', 'github:owner/repo/main', 'flake:nixpkgs', 'flake:nixpkgs/nixos-22.05'])('%s floats', (url) => {
    expect(isLockedFlakeRef(url)).toBe(false);
  });
});
