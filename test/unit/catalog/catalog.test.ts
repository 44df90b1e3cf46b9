import { describe, expect, it } from 'vitest';
import { lookup, maxCatalogBytes, maxCatalogPackages, parseCatalog } from '../../../src/catalog/catalog.js';
import { ExitCode } from '../../../src/errors.js';
import { thrown } from './thrown.js';

const origin = '/srv/catalog.json';

function catalogText(packages: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ version: 1, packages, ...extra });
}

function parsePackage(entry: unknown, attr = 'hello') {
  return parseCatalog(catalogText({ [attr]: entry }), origin).packages.get(attr);
}

/** The BAD_CATALOG error for a catalog holding only `entry`, checked to be one line naming origin and attr. */
function refusedPackage(entry: unknown, attr = 'hello') {
  const error = thrown(() => parsePackage(entry, attr));
  expect(error.code).toBe('GENLEDGER_BAD_CATALOG');
  expect(error.exitCode).toBe(ExitCode.refused);
  expect(error.message.startsWith(`catalog '${origin}': package `)).toBe(true);
  expect(error.message).toContain(attr.slice(0, 32));
  expect(error.message).not.toMatch(/\n/);
  return error;
}

function refusedCatalog(text: string) {
  const error = thrown(() => parseCatalog(text, origin));
  expect(error.code).toBe('GENLEDGER_BAD_CATALOG');
  expect(error.message.startsWith(`catalog '${origin}': `)).toBe(true);
  expect(error.message).not.toMatch(/\n/);
  return error;
}

describe('parseCatalog accepts', () => {
  it('directory and store-path packages, keeping the catalog order and optional fields', () => {
    const catalog = parseCatalog(
      catalogText({
        hello: { version: '1.0', path: 'pkgs/hello-1.0', description: 'says hello' },
        cowsay: { version: '3.7', storePaths: ['/nix/store/aaaa-cowsay-3.7', '/nix/store/bbbb-cowsay-3.7-man'], priority: 4 },
      }),
      origin,
    );
    expect(catalog.origin).toBe(origin);
    expect([...catalog.packages.keys()]).toEqual(['hello', 'cowsay']);
    expect(catalog.packages.get('hello')).toEqual({
      attr: 'hello',
      version: '1.0',
      description: 'says hello',
      kind: 'directory',
      path: 'pkgs/hello-1.0',
      storeName: 'hello-1.0',
    });
    expect(catalog.packages.get('cowsay')).toEqual({
      attr: 'cowsay',
      version: '3.7',
      priority: 4,
      kind: 'store-paths',
      storePaths: ['/nix/store/aaaa-cowsay-3.7', '/nix/store/bbbb-cowsay-3.7-man'],
    });
  });

  it('an empty package set, and names using every allowed character', () => {
    expect(parseCatalog(catalogText({}), origin).packages.size).toBe(0);
    const attr = "_Py3.12+ext's-x";
    expect(parsePackage({ version: '1', storePaths: ['/s/x'] }, attr)?.attr).toBe(attr);
  });

  it('negative and zero priorities, as Nix does', () => {
    expect(parsePackage({ version: '1', storePaths: ['/s/x'], priority: -10 })?.priority).toBe(-10);
    expect(parsePackage({ version: '1', storePaths: ['/s/x'], priority: 0 })?.priority).toBe(0);
  });
});

describe('parseCatalog refuses a catalog that', () => {
  it('is not JSON, even when the parser quotes broken input across lines', () => {
    expect(refusedCatalog('{"version": 1,').message).toContain('is not valid JSON');
    refusedCatalog('not json\nat all');
  });

  it('is not an object', () => {
    for (const text of ['[]', 'null', '1', '"catalog"']) expect(refusedCatalog(text).message).toContain('is not a JSON object');
  });

  it('has no version or another version', () => {
    expect(refusedCatalog('{"packages":{}}').message).toContain('has no version');
    expect(refusedCatalog('{"version":2,"packages":{}}').message).toContain('has version');
    expect(refusedCatalog('{"version":"1","packages":{}}').message).toContain('has version');
  });

  it('has a field it does not know, rather than ignoring it', () => {
    expect(refusedCatalog(catalogText({}, { channels: [] })).message).toContain("unknown field 'channels'");
  });

  it('has no packages object', () => {
    for (const packages of [undefined, [], 'hello', null]) {
      expect(refusedCatalog(JSON.stringify({ version: 1, packages })).message).toContain('needs "packages"');
    }
  });

  it('has a package name outside the allowed pattern, or __proto__', () => {
    for (const attr of ['', '1password', '-x', 'a b', 'a/b', 'a#b', 'ü', '__proto__', 'x'.repeat(201)]) {
      const error = refusedCatalog(`{"version":1,"packages":{${JSON.stringify(attr)}:{"version":"1","storePaths":["/s/x"]}}}`);
      expect(error.message).toContain('invalid package name');
    }
  });

  it('shows a name with control characters escaped, keeping the message on one line', () => {
    expect(refusedCatalog(catalogText({ 'a\nb': {} })).message).toContain('"a\\nb"');
  });

  it('has more packages or more text than the limits allow', () => {
    const many = Object.fromEntries(Array.from({ length: maxCatalogPackages + 1 }, (_, i) => [`p${i}`, {}]));
    expect(refusedCatalog(catalogText(many)).message).toContain(`at most ${maxCatalogPackages}`);
    expect(refusedCatalog(' '.repeat(maxCatalogBytes + 1)).message).toContain('larger than 16 MiB');
    // Fewer UTF-16 units than the limit, but more UTF-8 bytes.
    expect(refusedCatalog('é'.repeat(maxCatalogBytes / 2 + 1)).message).toContain('larger than 16 MiB');
  });
});

describe('parseCatalog refuses a package that', () => {
  it('is not an object', () => {
    for (const entry of [null, [], '1.0', 5]) expect(refusedPackage(entry).message).toContain('is not an object');
  });

  it('has an unknown field, such as a misspelt storePaths', () => {
    expect(refusedPackage({ version: '1', storepaths: ['/s/x'] }).message).toContain("unknown field 'storepaths'");
  });

  it('has no usable version', () => {
    for (const version of [undefined, '', 1, 'v'.repeat(101)]) {
      expect(refusedPackage({ version, storePaths: ['/s/x'] }).message).toContain('needs a version');
    }
  });

  it('has neither or both of path and storePaths', () => {
    expect(refusedPackage({ version: '1' }).message).toContain('exactly one of path');
    expect(refusedPackage({ version: '1', path: 'p', storePaths: ['/s/x'] }).message).toContain('exactly one of path');
  });

  it('has a priority that is not a 32-bit integer', () => {
    for (const priority of [1.5, '5', 2 ** 31, -(2 ** 31) - 1, null]) {
      expect(refusedPackage({ version: '1', storePaths: ['/s/x'], priority }).message).toContain('priority');
    }
  });

  it('has a description that is not a bounded string', () => {
    for (const description of [7, 'd'.repeat(4097)]) {
      expect(refusedPackage({ version: '1', storePaths: ['/s/x'], description }).message).toContain('description');
    }
  });

  it('has an absolute path, such as /etc/passwd', () => {
    const error = refusedPackage({ version: '1', path: '/etc/passwd' });
    expect(error.message).toContain("absolute path '/etc/passwd'");
    expect(error.hint).toContain('relative');
  });

  it('has a path with .. anywhere, even one that would stay inside', () => {
    for (const path of ['..', '../../etc/passwd', 'pkgs/../../x', 'pkgs/../hello']) {
      expect(refusedPackage({ version: '1', path }).message).toContain('may leave the catalog');
    }
  });

  it('has a path that is not normalised, and says how to write it', () => {
    const error = refusedPackage({ version: '1', path: './pkgs//hello/' });
    expect(error.message).toContain('not normalised');
    expect(error.hint).toBe("write it as 'pkgs/hello'");
  });

  it('has an empty path or one naming the catalog directory itself', () => {
    expect(refusedPackage({ version: '1', path: '' }).message).toContain('not a non-empty string');
    expect(refusedPackage({ version: '1', path: '.' }).message).toContain("catalog's own directory");
    expect(refusedPackage({ version: '1', path: 'a\0b' }).message).toContain('not a non-empty string');
  });

  it('would get an invalid store path name from its directory', () => {
    expect(refusedPackage({ version: '1', path: 'p' }, "hello'").message).toContain('not a valid store path name');
    expect(refusedPackage({ version: '1 beta', path: 'p' }).message).toContain('not a valid store path name');
    expect(refusedPackage({ version: 'v'.repeat(100), path: 'p' }, 'x'.repeat(200)).message).toContain(
      'not a valid store path name',
    );
  });

  it('has storePaths that are empty, not a list, or hold something other than absolute store paths', () => {
    for (const storePaths of [[], '/s/x', {}]) {
      expect(refusedPackage({ version: '1', storePaths }).message).toContain('not a list of 1 to 1000');
    }
    for (const path of ['s/x', '/s/../x', '/s/./x', '/s//x', '/s/x/', '/', '/x']) {
      expect(refusedPackage({ version: '1', storePaths: [path] }).message).toContain('not an absolute, normalised path');
    }
    expect(refusedPackage({ version: '1', storePaths: [42] }).message).toContain('not a string');
    expect(refusedPackage({ version: '1', storePaths: ['/s/x', '/s/x'] }).message).toContain('twice');
  });
});

describe('lookup', () => {
  const catalog = parseCatalog(
    catalogText({
      hello: { version: '1.0', path: 'pkgs/hello' },
      help: { version: '1.0', path: 'pkgs/help' },
      'hello-world': { version: '1.0', path: 'pkgs/hello-world' },
      greet: { version: '2.1', path: 'pkgs/greet' },
      cowsay: { version: '3.7', storePaths: ['/nix/store/aaaa-cowsay-3.7'] },
    }),
    origin,
  );

  it('returns the named package', () => {
    expect(lookup(catalog, 'greet').version).toBe('2.1');
  });

  it('refuses an unknown name, suggesting the closest names first', () => {
    const error = thrown(() => lookup(catalog, 'helo'));
    expect(error.code).toBe('GENLEDGER_UNKNOWN_PACKAGE');
    expect(error.exitCode).toBe(ExitCode.refused);
    expect(error.message).toBe(`catalog '${origin}' has no package 'helo'`);
    expect(error.hint).toBe("did you mean 'hello', 'help'?");
  });

  it('suggests names that extend a prefix, and ignores case when comparing', () => {
    expect(thrown(() => lookup(catalog, 'hello-w')).hint).toBe("did you mean 'hello-world', 'hello'?");
    expect(thrown(() => lookup(catalog, 'COWSAY')).hint).toBe("did you mean 'cowsay'?");
  });

  it('lists some packages when nothing is close, and says so when there are none', () => {
    expect(thrown(() => lookup(catalog, 'zzzzzz')).hint).toBe(
      "it has 5 packages: 'cowsay', 'greet', 'hello', 'hello-world', 'help'",
    );
    expect(thrown(() => lookup(parseCatalog(catalogText({}), origin), 'x')).hint).toBe('the catalog has no packages');
  });

  it('suggests the closest of the names in a catalog at the package limit', () => {
    const packages = Object.fromEntries(
      Array.from({ length: maxCatalogPackages }, (_, i) => [`package-${i}`, { version: '1', storePaths: [`/s/p${i}`] }]),
    );
    const big = parseCatalog(catalogText(packages), origin);
    expect(thrown(() => lookup(big, 'package-12a')).hint).toBe(
      "did you mean 'package-12', 'package-120', 'package-121', 'package-122', 'package-123'?",
    );
  });
});
