import { describe, expect, it } from 'vitest';
import { parseEnvManifest } from '../../../src/projection/env-manifest-parse.js';
import { parseNixValue } from '../../../src/projection/nix-value-parse.js';
import { genledgerFailure } from '../domain/genledger-failure.js';

const FILE = '/nix/store/5d8mxw9k2mpbqzjj545r7h51c22yyhiw-env-manifest.nix';
const P1 = '/nix/store/vakjq8iw060mbdsy1y8x2ml3l3wx64gr-pkga-1.0';
const P2 = '/nix/store/l5y46b8p9il518p7jhl4nnsh86xlry98-pkgb-2.0';

/** Vector 13.6, generation 1, byte for byte. */
const VECTOR = `[ { meta = { }; name = "pkga-1.0"; out = { outPath = "${P1}"; }; outPath = "${P1}"; outputs = [ "out" ]; type = "derivation"; } { meta = { }; name = "pkgb-2.0"; out = { outPath = "${P2}"; }; outPath = "${P2}"; outputs = [ "out" ]; type = "derivation"; } ]`;

describe('parseNixValue, the value printer read back', () => {
  it('reads every kind of value the printer writes', () => {
    const text = '[ { a = 1.5; b = -3; c = /tmp/x; d = "q\\"\\${x}\\n\\t\\\\"; e = null; f = [ ]; g = { }; h = <LAMBDA>; i = true; j = 1e+20; } ]';
    const value = parseNixValue(text, FILE);
    expect(value.kind).toBe('list');
    const item = value.kind === 'list' ? value.items[0] : undefined;
    expect(item?.kind === 'attrs' ? Object.fromEntries(item.attrs) : null).toEqual({
      a: { kind: 'float', text: '1.5' },
      b: { kind: 'int', value: -3 },
      c: { kind: 'path', value: '/tmp/x' },
      d: { kind: 'string', value: 'q"${x}\n\t\\' },
      e: { kind: 'null' },
      f: { kind: 'list', items: [] },
      g: { kind: 'attrs', attrs: new Map() },
      h: { kind: 'opaque', text: '<LAMBDA>' },
      i: { kind: 'bool', value: true },
      j: { kind: 'float', text: '1e+20' },
    });
  });

  it.each([
    ['[ 1 ] ', 'has text after the value'],
    ['[ "a"]', "lacks 'a space'"],
    ['{ a = 1 }', "lacks ';'"],
    ['{ a = 1; a = 2; }', "repeats the attribute 'a'"],
    ['"abc', 'ends inside a string'],
    ['"a\\qb"', 'has an unknown escape in a string'],
    ['[ foo ]', 'has something that is not a value'],
    ['99999999999999999999', 'has an integer genledger cannot hold exactly'],
    [`${'[ '.repeat(70)}${' ]'.repeat(70)}`, 'nests deeper than 64 levels'],
  ])('refuses %j: %s', (text, problem) => {
    const error = genledgerFailure(() => parseNixValue(text, FILE));
    expect(error.code).toBe('GENLEDGER_BAD_MANIFEST');
    expect(error.message).toContain(problem);
    expect(error.message).toMatch(/at byte \d+$/);
  });
});

describe('parseEnvManifest, a nix-env manifest.nix as profile elements', () => {
  it('reads vector 13.6 as two elements named by package, default priority, active', () => {
    expect(parseEnvManifest(VECTOR, FILE)).toEqual([
      { name: 'pkga', active: true, priority: 5, storePaths: [P1], nixEnv: { name: 'pkga-1.0', outPath: P1, outputs: [{ name: 'out', path: P1 }], meta: {} } },
      { name: 'pkgb', active: true, priority: 5, storePaths: [P2], nixEnv: { name: 'pkgb-2.0', outPath: P2, outputs: [{ name: 'out', path: P2 }], meta: {} } },
    ]);
  });

  it('keeps the nix-env fields as written: the system only when there is one, outputs in order, meta strings as strings', () => {
    const dev = '/nix/store/0000000000000000000000000000000a-pkga-1.0-dev';
    const text = `[ { dev = { outPath = "${dev}"; }; meta = { description = "a \\"b\\""; keep = true; license = [ { free = true; } ]; priority = "4"; }; name = "simple.drv"; out = { outPath = "${P1}"; }; outPath = "${P1}"; outputs = [ "out" "dev" ]; system = "unknown"; type = "derivation"; } ]`;
    expect(parseEnvManifest(text, FILE)[0]?.nixEnv).toEqual({
      name: 'simple.drv',
      system: 'unknown',
      outPath: P1,
      outputs: [{ name: 'out', path: P1 }, { name: 'dev', path: dev }],
      meta: { description: 'a "b"', keep: true, license: [{ free: true }], priority: '4' },
    });
  });

  it.each([
    ['a drvPath (keep-env-derivations)', `drvPath = "${P2}"; `],
    ['a float in meta', 'meta = { x = 1.5; }; '],
    ['a path in meta', 'meta = { x = /tmp/x; }; '],
    ['a meta name events cannot keep', 'meta = { x.y = 1; }; '],
    ['no outputs list (an old manifest)', 'meta = { }; '],
  ])('gives no nix-env fields to an element it could not print back the same: %s', (what, attribute) => {
    const outputs = what.startsWith('no outputs') ? '' : ' outputs = [ "out" ];';
    const text = `[ { ${attribute}name = "x"; out = { outPath = "${P1}"; }; outPath = "${P1}";${outputs} type = "derivation"; } ]`;
    expect(parseEnvManifest(text, FILE)[0]?.nixEnv).toBeUndefined();
  });

  it('reads meta.priority and meta.active as nix-env does (strings from --set-flag, or values)', () => {
    const text = VECTOR.replace('meta = { }; name = "pkga-1.0"', 'meta = { active = "false"; priority = "4"; }; name = "pkga-1.0"').replace(
      'meta = { }; name = "pkgb-2.0"',
      'meta = { active = true; description = "b"; priority = 7; }; name = "pkgb-2.0"',
    );
    expect(parseEnvManifest(text, FILE).map(({ active, priority }) => [active, priority])).toEqual([
      [false, 4],
      [true, 7],
    ]);
  });

  it('links every output and makes repeated names unique', () => {
    const dev = '/nix/store/0000000000000000000000000000000a-pkga-1.0-dev';
    const text = `[ { name = "pkga-1.0"; dev = { outPath = "${dev}"; }; out = { outPath = "${P1}"; }; outPath = "${P1}"; outputs = [ "out" "dev" ]; } { name = "pkga-2.0"; outPath = "${P2}"; } ]`;
    expect(parseEnvManifest(text, FILE).map(({ name, storePaths }) => ({ name, storePaths }))).toEqual([
      { name: 'pkga', storePaths: [dev, P1] },
      { name: 'pkga-1', storePaths: [P2] },
    ]);
  });

  it.each([
    ['{ }', 'is not a list'],
    ['[ 1 ]', 'has an invalid element 0: it is not an attribute set'],
    [`[ { outPath = "${P1}"; } ]`, 'its name is not a string'],
    ['[ { name = "x"; outPath = "/tmp/x"; } ]', 'its outPath is not a store path'],
    [`[ { meta = { priority = "high"; }; name = "x"; outPath = "${P1}"; } ]`, 'its meta.priority is not an integer'],
    [`[ { meta = { active = 1; }; name = "x"; outPath = "${P1}"; } ]`, 'its meta.active is not true or false'],
    [`[ { name = "x"; outPath = "${P1}"; outputs = [ "out" ]; } ]`, "its output 'out' is not an attribute set"],
    [`[ { name = "x"; outPath = "${P1}"; type = "set"; } ]`, 'its type is not "derivation"'],
  ])('refuses %j', (text, problem) => {
    const error = genledgerFailure(() => parseEnvManifest(text, FILE));
    expect(error.code).toBe('GENLEDGER_BAD_MANIFEST');
    expect(error.message).toContain(problem);
  });
});
