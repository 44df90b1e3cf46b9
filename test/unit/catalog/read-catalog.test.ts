import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lookup, maxCatalogBytes } from '../../../src/catalog/catalog.js';
import type { CatalogEntry, DirectoryEntry } from '../../../src/catalog/catalog.js';
import { readCatalog, resolvePackageDirectory } from '../../../src/catalog/read-catalog.js';
import { thrown } from './thrown.js';

// Real paths, since resolvePackageDirectory answers with the real path.
const examples = realpathSync(fileURLToPath(new URL('../../../examples/', import.meta.url)));

function directoryEntry(entry: CatalogEntry): DirectoryEntry {
  if (entry.kind !== 'directory') throw new Error(`package '${entry.attr}' is not a directory package`);
  return entry;
}

describe('readCatalog and resolvePackageDirectory on a temporary catalog', () => {
  let dir: string;
  let catalogFile: string;

  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'genledger-catalog-')));
    catalogFile = join(dir, 'catalog.json');
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function writeCatalog(packages: Record<string, { version: string; path: string }>, file = catalogFile): void {
    writeFileSync(file, JSON.stringify({ version: 1, packages }));
  }

  function resolve(attr: string, file = catalogFile): string {
    return resolvePackageDirectory(file, directoryEntry(lookup(readCatalog(file).catalog, attr)));
  }

  it('hashes exactly the bytes it parsed', () => {
    writeCatalog({ hello: { version: '1.0', path: 'pkgs/hello' } });
    const loaded = readCatalog(catalogFile);
    const bytes = Buffer.from(loaded.text);
    expect(loaded.contentHash.toHex()).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(loaded.catalog.origin).toBe(catalogFile);
  });

  it('refuses a missing file, a directory and a FIFO without hanging', () => {
    expect(thrown(() => readCatalog(join(dir, 'absent.json'))).code).toBe('GENLEDGER_NO_SUCH_CATALOG');
    expect(thrown(() => readCatalog(join(dir, 'absent', 'catalog.json'))).code).toBe('GENLEDGER_NO_SUCH_CATALOG');
    const directory = thrown(() => readCatalog(dir));
    expect(directory.code).toBe('GENLEDGER_NO_SUCH_CATALOG');
    expect(directory.message).toContain('is a directory');
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(thrown(() => readCatalog(join(dir, 'fifo'))).message).toContain('not a regular file');
  });

  it.skipIf(process.getuid?.() === 0)('refuses an unreadable file with its own code', () => {
    writeCatalog({});
    chmodSync(catalogFile, 0o000);
    expect(thrown(() => readCatalog(catalogFile)).code).toBe('GENLEDGER_CATALOG_UNREADABLE');
  });

  it('refuses a file over the size limit before reading it, and bytes that are not UTF-8', () => {
    writeFileSync(catalogFile, '');
    truncateSync(catalogFile, maxCatalogBytes + 1);
    expect(thrown(() => readCatalog(catalogFile)).message).toContain('larger than 16 MiB');
    writeFileSync(catalogFile, Buffer.from([0x7b, 0xff, 0x7d]));
    const error = thrown(() => readCatalog(catalogFile));
    expect(error.code).toBe('GENLEDGER_BAD_CATALOG');
    expect(error.message).toContain('not valid UTF-8');
  });

  it('resolves a package directory, through links that stay inside the catalog directory', () => {
    mkdirSync(join(dir, 'pkgs', 'hello-1.0'), { recursive: true });
    symlinkSync('pkgs/hello-1.0', join(dir, 'current'));
    writeCatalog({ hello: { version: '1.0', path: 'pkgs/hello-1.0' }, current: { version: '1.0', path: 'current' } });
    const real = join(dir, 'pkgs', 'hello-1.0');
    expect(resolve('hello')).toBe(real);
    expect(resolve('current')).toBe(real);
  });

  it('refuses a link in the catalog directory that points at /etc', () => {
    symlinkSync('/etc', join(dir, 'etc'));
    writeCatalog({ evil: { version: '1', path: 'etc' } });
    const error = thrown(() => resolve('evil'));
    expect(error.code).toBe('GENLEDGER_BAD_CATALOG');
    expect(error.message).toContain("not below the catalog's directory");
  });

  it('refuses a link that climbs out of the catalog directory, or leads back to it', () => {
    mkdirSync(join(dir, 'pkgs'));
    symlinkSync('../..', join(dir, 'pkgs', 'up'));
    symlinkSync('.', join(dir, 'self'));
    writeCatalog({ up: { version: '1', path: 'pkgs/up' }, self: { version: '1', path: 'self' } });
    expect(thrown(() => resolve('up')).message).toContain("not below the catalog's directory");
    expect(thrown(() => resolve('self')).message).toContain("not below the catalog's directory");
  });

  it('refuses a package path that is missing or is not a directory', () => {
    writeFileSync(join(dir, 'file'), 'not a directory');
    symlinkSync('nowhere', join(dir, 'dangling'));
    writeCatalog({
      missing: { version: '1', path: 'pkgs/missing' },
      file: { version: '1', path: 'file' },
      dangling: { version: '1', path: 'dangling' },
    });
    expect(thrown(() => resolve('missing')).message).toContain('does not exist');
    expect(thrown(() => resolve('dangling')).message).toContain('does not exist');
    expect(thrown(() => resolve('file')).message).toContain('not a directory');
  });

  it('finds the packages of a catalog reached through a link beside the real file', () => {
    const real = join(dir, 'real');
    mkdirSync(join(real, 'pkgs', 'hello'), { recursive: true });
    writeCatalog({ hello: { version: '1.0', path: 'pkgs/hello' } }, join(real, 'catalog.json'));
    symlinkSync(join(real, 'catalog.json'), join(dir, 'linked.json'));
    expect(resolve('hello', join(dir, 'linked.json'))).toBe(join(real, 'pkgs', 'hello'));
  });
});

describe('the example catalogs', () => {
  for (const name of ['catalog.json', 'catalog-next.json']) {
    it(`${name} parses and every package resolves to a directory of executable scripts`, () => {
      const file = join(examples, name);
      const { catalog } = readCatalog(file);
      expect([...catalog.packages.keys()].sort()).toEqual(['figlet-lite', 'greet', 'hello']);
      for (const entry of catalog.packages.values()) {
        const pkg = directoryEntry(entry);
        const directory = resolvePackageDirectory(file, pkg);
        expect(directory).toBe(join(examples, 'pkgs', pkg.storeName));
        expect(statSync(join(directory, 'bin', pkg.attr)).mode & 0o777).toBe(0o755);
        expect(statSync(join(directory, 'share', 'doc', pkg.attr)).isDirectory()).toBe(true);
      }
    });
  }

  it('offer hello 1.0 and then 1.1, for the upgrade demo', () => {
    const hello = (name: string) => lookup(readCatalog(join(examples, name)).catalog, 'hello').version;
    expect([hello('catalog.json'), hello('catalog-next.json')]).toEqual(['1.0', '1.1']);
  });
});
