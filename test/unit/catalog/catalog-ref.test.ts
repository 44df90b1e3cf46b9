import { describe, expect, it } from 'vitest';
import { lockedUrl, originalUrl, parseCatalogRef, parseCatalogUrl } from '../../../src/catalog/catalog-ref.js';
import { ExitCode } from '../../../src/errors.js';
import { Hash } from '../../../src/store/hash.js';
import { thrown } from './thrown.js';

const cwd = '/home/alice/work';
// The F1 NAR hash of spec 13.2; its base-64 form contains a '/'.
const f1 = Hash.parse('sha256-7enlb0QDWPs2j0a6S8oHmsj2hAQ2NGFBG/70jQMutJI=');
// The hash of the flake element in spec 13.5, for the exact shape Nix 2.8 wrote.
const flakeHash = Hash.parse('sha256-734Fk6OxTke0NgRYyk4fwQtV44jiqIUGh77ckT4lpRI=');

describe('parseCatalogRef', () => {
  it('is null for an installable without #, which is not a catalog reference', () => {
    expect(parseCatalogRef('/nix/store/abc-hello-1.0', cwd)).toBeNull();
    expect(parseCatalogRef('./pkgs/hello', cwd)).toBeNull();
  });

  it('resolves a relative catalog file against the working directory, normalised', () => {
    expect(parseCatalogRef('catalog.json#hello', cwd)).toEqual({ catalogFile: '/home/alice/work/catalog.json', attr: 'hello' });
    expect(parseCatalogRef('../shared/./cats//catalog.json#greet', cwd)).toEqual({
      catalogFile: '/home/alice/shared/cats/catalog.json',
      attr: 'greet',
    });
  });

  it('keeps an absolute catalog file and accepts the path: form that originalUrl prints', () => {
    expect(parseCatalogRef('/srv/catalog.json#hello', cwd)?.catalogFile).toBe('/srv/catalog.json');
    expect(parseCatalogRef('path:/srv/catalog.json#hello', cwd)?.catalogFile).toBe('/srv/catalog.json');
    expect(parseCatalogRef('path:catalog.json#hello', cwd)?.catalogFile).toBe('/home/alice/work/catalog.json');
  });

  it('refuses, as a usage error, a reference without a file or with an invalid package name', () => {
    for (const [text, wording] of [
      ['#hello', 'names no catalog file'],
      ['path:#hello', 'names no catalog file'],
      ['catalog.json#', 'invalid package'],
      ['catalog.json#hello world', 'invalid package'],
      ['catalog.json#__proto__', 'invalid package'],
    ] as const) {
      const error = thrown(() => parseCatalogRef(text, cwd));
      expect(error.code).toBe('GENLEDGER_BAD_CATALOG_REF');
      expect(error.exitCode).toBe(ExitCode.usage);
      expect(error.message).toContain(wording);
    }
  });

  it('refuses a catalog file name that would make the recorded URL ambiguous', () => {
    for (const text of ['cat?x.json#hello', 'cat#1.json#hello', 'cat%20.json#hello']) {
      expect(thrown(() => parseCatalogRef(text, cwd)).code).toBe('GENLEDGER_BAD_CATALOG_REF');
    }
  });
});

describe('catalog URLs', () => {
  it('prints the original URL as a Nix path flake reference', () => {
    expect(originalUrl('/srv/catalog.json')).toBe('path:/srv/catalog.json');
  });

  it('prints the locked URL with the content hash as narHash, in the shape Nix 2.8 writes', () => {
    expect(lockedUrl('/tmp/demo/flk', flakeHash)).toBe('path:/tmp/demo/flk?narHash=sha256-734Fk6OxTke0NgRYyk4fwQtV44jiqIUGh77ckT4lpRI=');
  });

  it('percent-encodes a / in the hash as Nix 2.8 does, keeping + and =', () => {
    expect(lockedUrl('/srv/catalog.json', f1)).toBe('path:/srv/catalog.json?narHash=sha256-7enlb0QDWPs2j0a6S8oHmsj2hAQ2NGFBG%2f70jQMutJI=');
  });

  it('reads back the catalog file and hash from the URLs it prints', () => {
    expect(parseCatalogUrl(originalUrl('/srv/catalog.json'))).toEqual({ catalogFile: '/srv/catalog.json', narHash: null });
    const locked = parseCatalogUrl(lockedUrl('/srv/catalog.json', f1));
    expect(locked?.catalogFile).toBe('/srv/catalog.json');
    expect(locked?.narHash?.equals(f1)).toBe(true);
  });

  it('ignores the other query parameters Nix adds, such as lastModified', () => {
    const url = 'path:/tmp/demo/flk?lastModified=1795443760&narHash=sha256-734Fk6OxTke0NgRYyk4fwQtV44jiqIUGh77ckT4lpRI=';
    expect(parseCatalogUrl(url)?.narHash?.equals(flakeHash)).toBe(true);
  });

  it('is null for a URL of another scheme, such as a flake adopted from Nix', () => {
    expect(parseCatalogUrl('github:NixOS/nixpkgs/nixos-24.05')).toBeNull();
  });

  it('refuses a path URL that is relative, not normalised, or has a malformed narHash', () => {
    for (const url of ['path:catalog.json', 'path:/srv/../catalog.json', 'path:/srv/', 'path:/srv/c.json?narHash=sha256-xyz', 'path:/c?narHash=%zz']) {
      const error = thrown(() => parseCatalogUrl(url));
      expect(error.code).toBe('GENLEDGER_BAD_CATALOG_URL');
      expect(error.exitCode).toBe(ExitCode.refused);
    }
  });
});
