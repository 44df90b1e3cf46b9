/**
 * The user environment nix-env 2.8 writes, byte for byte (spec 8.2, 8.3,
 * vectors 13.4 and 13.6): the env-manifest.nix text and path, the
 * user-environment.drv ATerm and path, and the output path, for
 * `nix-env -i P1 P2`, then `--set-flag priority 4 pkga`, then `-i P3`.
 */
import { describe, expect, it } from 'vitest';
import { nixEnvElementOfStorePath, nixEnvFieldsOf, readBack } from '../../../src/domain/nix-env-element.js';
import type { ProfileElement } from '../../../src/domain/profile-manifest.js';
import { unparseDerivation, writeInputAddressedDerivation } from '../../../src/projection/derivation-aterm.js';
import { printNixString, printNixValue } from '../../../src/projection/nix-value-print.js';
import { parseNixValue } from '../../../src/projection/nix-value-parse.js';
import { parseEnvManifest } from '../../../src/projection/env-manifest-parse.js';
import { userEnvironment } from '../../../src/projection/user-environment.js';
import { StoreDir } from '../../../src/store/store-path.js';

const storeDir = new StoreDir('/nix/store');
const P1 = '/nix/store/vakjq8iw060mbdsy1y8x2ml3l3wx64gr-pkga-1.0';
const P2 = '/nix/store/l5y46b8p9il518p7jhl4nnsh86xlry98-pkgb-2.0';
const P3 = '/nix/store/dx29696sg06lkgqvrj34jmm69pz1i5bj-pkgc-3.0';

const generation1Manifest =
  '[ { meta = { }; name = "pkga-1.0"; out = { outPath = "/nix/store/vakjq8iw060mbdsy1y8x2ml3l3wx64gr-pkga-1.0"; }; outPath = "/nix/store/vakjq8iw060mbdsy1y8x2ml3l3wx64gr-pkga-1.0"; outputs = [ "out" ]; type = "derivation"; } { meta = { }; name = "pkgb-2.0"; out = { outPath = "/nix/store/l5y46b8p9il518p7jhl4nnsh86xlry98-pkgb-2.0"; }; outPath = "/nix/store/l5y46b8p9il518p7jhl4nnsh86xlry98-pkgb-2.0"; outputs = [ "out" ]; type = "derivation"; } ]';
const generation1Drv =
  'Derive([("out","/nix/store/rc5y1f6260fd1niw8yxsj9c7j4lkq2gv-user-environment","","")],[],["/nix/store/5d8mxw9k2mpbqzjj545r7h51c22yyhiw-env-manifest.nix"],"builtin","builtin:buildenv",[],[("allowSubstitutes",""),("builder","builtin:buildenv"),("derivations","true 5 1 /nix/store/vakjq8iw060mbdsy1y8x2ml3l3wx64gr-pkga-1.0 true 5 1 /nix/store/l5y46b8p9il518p7jhl4nnsh86xlry98-pkgb-2.0"),("manifest","/nix/store/5d8mxw9k2mpbqzjj545r7h51c22yyhiw-env-manifest.nix"),("name","user-environment"),("out","/nix/store/rc5y1f6260fd1niw8yxsj9c7j4lkq2gv-user-environment"),("preferLocalBuild","1"),("system","builtin")])';

function environmentOf(elements: readonly ProfileElement[]) {
  return userEnvironment(storeDir, elements.map(nixEnvFieldsOf));
}

describe('the user environment of nix-env -i P1 P2 (generation 1)', () => {
  const elements = [nixEnvElementOfStorePath(P1, 5), nixEnvElementOfStorePath(P2, 5)];
  const env = environmentOf(elements);

  it('names the elements by their DrvName name and keeps the full name for nix-env', () => {
    expect(elements.map((e) => [e.name, e.nixEnv?.name])).toEqual([['pkga', 'pkga-1.0'], ['pkgb', 'pkgb-2.0']]);
  });

  it('prints env-manifest.nix byte for byte and stores it as a text path referring to the outputs', () => {
    expect(env.manifestText).toBe(generation1Manifest);
    expect(env.manifestReferences).toEqual([P2, P1]);
    expect(env.manifestPath).toBe('/nix/store/5d8mxw9k2mpbqzjj545r7h51c22yyhiw-env-manifest.nix');
  });

  it('writes the user-environment.drv ATerm and path and computes the output path', () => {
    expect(env.derivation.text).toBe(generation1Drv);
    expect(env.derivation.drvPath).toBe('/nix/store/n0d8vid0b9054diiy9kzni9kk02my6sd-user-environment.drv');
    expect(env.derivation.references).toEqual([env.manifestPath]);
    expect(env.outPath).toBe('/nix/store/rc5y1f6260fd1niw8yxsj9c7j4lkq2gv-user-environment');
  });

  it('reads back as the same elements', () => {
    expect(parseEnvManifest(env.manifestText, 'manifest.nix').map((e) => [e.name, e.storePaths])).toEqual([['pkga', [P1]], ['pkgb', [P2]]]);
  });
});

describe('later generations carry the read-back quirk and meta flags', () => {
  const generation1 = [nixEnvElementOfStorePath(P1, 5), nixEnvElementOfStorePath(P2, 5)];
  const generation2 = generation1.map(readBack).map((e) => (e.name === 'pkga' ? { ...e, priority: 4 } : e));

  it('--set-flag priority 4 pkga: meta.priority is the string "4", both elements have system "unknown" (generation 2)', () => {
    const env = environmentOf(generation2);
    expect(env.manifestText).toContain('{ meta = { priority = "4"; }; name = "pkga-1.0"; ');
    expect(env.manifestText).toContain('outputs = [ "out" ]; system = "unknown"; type = "derivation"; }');
    expect(env.manifestPath).toBe('/nix/store/dr9axab87czlh5aj71bbs2br2jhbrpa9-env-manifest.nix');
    expect(env.derivation.drvPath).toBe('/nix/store/r9hqrdb79rgi978k22ddlmiphc8wgpxg-user-environment.drv');
    expect(env.outPath).toBe('/nix/store/1jscqfhz36ghna319ld86jhjzhzpgqdb-user-environment');
  });

  it('-i P3 puts the new element first, without a system (generation 3)', () => {
    const env = environmentOf([nixEnvElementOfStorePath(P3, 5), ...generation2.map(readBack)]);
    expect(env.derivation.derivation.env.derivations).toBe(`true 5 1 ${P3} true 4 1 ${P1} true 5 1 ${P2}`);
    expect(env.manifestPath).toBe('/nix/store/vja8z6lcx6sy99ck6hhxsj7090dpjsq9-env-manifest.nix');
    expect(env.derivation.drvPath).toBe('/nix/store/xf0y79vx4b078z6s4q02q05kxyvyyg3k-user-environment.drv');
    expect(env.outPath).toBe('/nix/store/vxdj1i1k3ndbfpcrxjcwdshmzr4qg86z-user-environment');
  });

  it('an inactive element is "false" in meta and in derivations', () => {
    const env = environmentOf([{ ...nixEnvElementOfStorePath(P1, 5), active: false }]);
    expect(env.manifestText).toContain('meta = { active = "false"; };');
    expect(env.derivation.derivation.env.derivations).toBe(`false 5 1 ${P1}`);
  });

  it('an empty environment is the empty list with an empty derivations string', () => {
    const env = environmentOf([]);
    expect(env.manifestText).toBe('[ ]');
    expect(env.derivation.derivation.env.derivations).toBe('');
  });
});

describe('the ATerm writer', () => {
  it('gives the simple derivation of vector 13.4 and its paths', () => {
    const written = writeInputAddressedDerivation(storeDir, 'simple', ['out'], {
      inputDrvs: [],
      inputSrcs: [],
      system: 'x86_64-linux',
      builder: '/bin/sh',
      args: ['-c', 'echo hello > $out'],
      env: { builder: '/bin/sh', name: 'simple', system: 'x86_64-linux' },
    });
    expect(written.text).toBe(
      'Derive([("out","/nix/store/94f9f6i31zwzwbf0kclq1naqxxi4c7v9-simple","","")],[],[],"x86_64-linux","/bin/sh",["-c","echo hello > $out"],[("builder","/bin/sh"),("name","simple"),("out","/nix/store/94f9f6i31zwzwbf0kclq1naqxxi4c7v9-simple"),("system","x86_64-linux")])',
    );
    expect(written.drvPath).toBe('/nix/store/3ghsl9sd83mc26i81adpa2fzf3yw4f68-simple.drv');
  });

  it('escapes the builder, args and env but not paths, and sorts input derivations and their outputs', () => {
    const text = unparseDerivation({
      outputs: [{ name: 'out', path: '/s/o', hashAlgo: '', hash: '' }],
      inputDrvs: [{ path: '/s/b.drv', outputs: ['out', 'dev'] }, { path: '/s/a.drv', outputs: ['out'] }],
      inputSrcs: ['/s/z', '/s/y'],
      system: 'x',
      builder: 'a"b\\c',
      args: ['l\nm\tn\r'],
      env: { k: '${x}' },
    });
    expect(text).toBe('Derive([("out","/s/o","","")],[("/s/a.drv",["out"]),("/s/b.drv",["dev","out"])],["/s/y","/s/z"],"x","a\\"b\\\\c",["l\\nm\\tn\\r"],[("k","${x}")])');
  });
});

describe('the value printer', () => {
  it('escapes strings as Nix does, including ${', () => {
    expect(printNixString('a"b\\c\nd\re\tf${g}$h')).toBe('"a\\"b\\\\c\\nd\\re\\tf\\${g}$h"');
  });

  it('prints what the manifest parser reads back', () => {
    const value = { b: [1, true, null, 'x'], a: { c: false }, 'z-y': [] };
    const text = printNixValue(value);
    expect(text).toBe('{ a = { c = false; }; b = [ 1 true null "x" ]; z-y = [ ]; }');
    expect(parseNixValue(text, 'v').kind).toBe('attrs');
  });
});
