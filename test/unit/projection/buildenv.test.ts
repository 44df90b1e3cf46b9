import { describe, expect, it } from 'vitest';
import { GenledgerError } from '../../../src/errors.js';
import { buildProfileTree } from '../../../src/projection/buildenv.js';
import type { ProfilePackage } from '../../../src/projection/buildenv.js';
import { CollisionError } from '../../../src/projection/collision-error.js';
import { memoryPackageView } from '../../../src/projection/memory-package-view.js';
import type { NarNode } from '../../../src/store/nar-node.js';
import { P1, P2, P3, dir, file, link, outline, storePath, vectorPackages } from './tree-fixtures.js';

const active = (path: string, priority = 5): ProfilePackage => ({ path, priority, active: true });

function build(store: Readonly<Record<string, NarNode>>, packages: readonly ProfilePackage[]) {
  const { tree, warnings } = buildProfileTree(packages, memoryPackageView(store));
  return { outline: outline(tree), warnings };
}

function buildError(store: Readonly<Record<string, NarNode>>, packages: readonly ProfilePackage[]): GenledgerError {
  try {
    buildProfileTree(packages, memoryPackageView(store));
  } catch (error) {
    if (error instanceof GenledgerError) return error;
    throw error;
  }
  throw new Error('expected buildProfileTree to fail');
}

describe('buildProfileTree on the packages of vector 13.5', () => {
  it('merges pkga and pkgb into real bin/, share/ and share/doc/ directories', () => {
    expect(build(vectorPackages, [active(P1), active(P2)])).toEqual({
      outline: {
        bin: { a: `-> ${P1}/bin/a`, b: `-> ${P2}/bin/b` },
        share: { doc: { pkga: `-> ${P1}/share/doc/pkga`, pkgb: `-> ${P2}/share/doc/pkgb` } },
      },
      warnings: [],
    });
  });

  it('links the directories of a single package as directory symlinks', () => {
    expect(build(vectorPackages, [active(P2)]).outline).toEqual({ bin: `-> ${P2}/bin`, share: `-> ${P2}/share` });
  });

  it('gives the same tree whatever order the packages are listed in', () => {
    expect(build(vectorPackages, [active(P2), active(P1)])).toEqual(build(vectorPackages, [active(P1), active(P2)]));
  });

  it('refuses pkga and pkgc at equal priority, naming pkga as the new file since pkgc sorts first', () => {
    const error = buildError(vectorPackages, [active(P1), active(P2), active(P3)]);
    expect(error).toBeInstanceOf(CollisionError);
    expect(error).toMatchObject({
      code: 'GENLEDGER_COLLISION',
      exitCode: 1,
      message: `packages '${P1}/bin/a' and '${P3}/bin/a' have the same priority 5`,
      fileA: `${P1}/bin/a`,
      fileB: `${P3}/bin/a`,
      packageA: P1,
      packageB: P3,
      priority: 5,
    });
    expect(error.hint).toContain('genledger profile set-priority NAME N');
    expect(error.hint).toContain('--priority N');
  });
});

describe('buildProfileTree priorities', () => {
  it.each([
    { given: 'pkgc at 4, pkga at 5', packages: [active(P1, 5), active(P3, 4)], binA: `${P3}/bin/a` },
    { given: 'pkga at 4, pkgc at 5', packages: [active(P1, 4), active(P3, 5)], binA: `${P1}/bin/a` },
    { given: 'pkga at -1, pkgc at 10', packages: [active(P3, 10), active(P1, -1)], binA: `${P1}/bin/a` },
  ])('lets the lower number win a file: $given', ({ packages, binA }) => {
    expect(build(vectorPackages, packages).outline).toMatchObject({ bin: { a: `-> ${binA}` } });
  });

  it('re-links the content of an expanded directory with the priority it was linked at', () => {
    const low = storePath('low-1', 'b');
    const high = storePath('high-1', 'c');
    const store = {
      [low]: dir({ lib: dir({ x: file('low') }) }),
      [high]: dir({ lib: dir({ x: file('high'), y: file() }) }),
    };
    expect(build(store, [active(high, 7), active(low, 3)]).outline).toEqual({
      lib: { x: `-> ${low}/lib/x`, y: `-> ${high}/lib/y` },
    });
  });

  it('replaces a link when a package linked later has the lower number (propagated 1000 over a user 2000)', () => {
    const user = storePath('user-1', 'b');
    const parent = storePath('parent-1', 'c');
    const child = storePath('child-1', 'd');
    const store = {
      [user]: dir({ bin: dir({ x: file() }) }),
      [parent]: dir({ 'nix-support': dir({ 'propagated-user-env-packages': file(child) }) }),
      [child]: dir({ bin: dir({ x: file() }) }),
    };
    expect(build(store, [active(user, 2000), active(parent)]).outline).toEqual({ bin: { x: `-> ${child}/bin/x` } });
  });
});

describe('buildProfileTree directory merging', () => {
  const a = storePath('a-1', 'b');
  const b = storePath('b-1', 'c');
  const c = storePath('c-1', 'd');

  it('expands only as deep as two packages meet, at every level', () => {
    const store = {
      [a]: dir({ lib: dir({ python: dir({ site: dir({ 'a.py': file() }) }) }) }),
      [b]: dir({ lib: dir({ python: dir({ site: dir({ 'b.py': file() }), 'b-only': dir() }) }) }),
      [c]: dir({ lib: dir({ python: dir({ site: dir({ 'c.py': file() }) }), other: dir() }) }),
    };
    expect(build(store, [active(a), active(b), active(c)]).outline).toEqual({
      lib: {
        other: `-> ${c}/lib/other`,
        python: {
          'b-only': `-> ${b}/lib/python/b-only`,
          site: { 'a.py': `-> ${a}/lib/python/site/a.py`, 'b.py': `-> ${b}/lib/python/site/b.py`, 'c.py': `-> ${c}/lib/python/site/c.py` },
        },
      },
    });
  });

  it('bases re-linked entries on the fully resolved path of the old directory link', () => {
    const data = storePath('data-1', 'f');
    const store = {
      [a]: dir({ share: link('data/share'), data: dir({ share: dir({ x: file() }) }) }),
      [b]: dir({ share: dir({ y: file() }) }),
      [c]: dir({ share: link(`${data}/share`) }),
      [data]: dir({ share: dir({ z: file() }) }),
    };
    expect(build(store, [active(a)]).outline).toMatchObject({ share: `-> ${a}/share` });
    expect(build(store, [active(a), active(b)]).outline).toMatchObject({
      share: { x: `-> ${a}/data/share/x`, y: `-> ${b}/share/y` },
    });
    expect(build(store, [active(b), active(c)]).outline).toEqual({
      share: { y: `-> ${b}/share/y`, z: `-> ${c}/share/z` },
    });
  });

  it.each([
    {
      given: 'a file where a directory link is being expanded',
      store: { [a]: dir({ share: file() }), [b]: dir({ share: dir({ y: file() }) }) },
      message: `collision between '${b}/share' and non-directory '${a}/share'`,
    },
    {
      given: 'a file where a real directory already is',
      store: { [a]: dir({ bin: dir({ x: file() }) }), [b]: dir({ bin: dir({ y: file() }) }), [c]: dir({ bin: file() }) },
      message: `collision between non-directory '${c}/bin' and directory 'bin'`,
    },
  ])('refuses $given, whatever the priorities', ({ store, message }) => {
    const error = buildError(store, [active(a, 1), active(b, 2), active(c, 3)]);
    expect(error).not.toBeInstanceOf(CollisionError);
    expect(error).toMatchObject({ code: 'GENLEDGER_COLLISION', exitCode: 1, message });
  });

  it('lets a directory link with the lower number stand against a file', () => {
    const store = { [a]: dir({ bin: dir({ x: file() }) }), [b]: dir({ bin: file() }) };
    expect(build(store, [active(a, 1), active(b, 2)]).outline).toEqual({ bin: `-> ${a}/bin` });
  });
});

describe('buildProfileTree entries left out', () => {
  const a = storePath('a-1', 'b');
  const b = storePath('b-1', 'c');

  it('skips the names Nix never links, at any depth, and info/dir only under info', () => {
    const skipped = {
      'propagated-build-inputs': file(),
      'nix-support': dir(),
      'perllocal.pod': file(),
      log: dir(),
      'manifest.nix': file(),
      'manifest.json': file(),
    };
    const store = {
      [a]: dir({ ...skipped, lib: dir({ ...skipped, kept: file() }), info: dir({ dir: file() }), share: dir({ dir: file() }) }),
      [b]: dir({ lib: dir({ other: file() }), info: dir({ other: file() }) }),
    };
    expect(build(store, [active(a), active(b)]).outline).toEqual({
      info: { other: `-> ${b}/info/other` },
      lib: { kept: `-> ${a}/lib/kept`, other: `-> ${b}/lib/other` },
      share: `-> ${a}/share`,
    });
  });

  it('skips names starting with a dot', () => {
    const store = { [a]: dir({ '.hidden': file(), '.config': dir({ x: file() }), visible: file() }) };
    expect(build(store, [active(a)]).outline).toEqual({ visible: `-> ${a}/visible` });
  });

  it('skips dangling symlinks with a warning naming the link, in byte order', () => {
    const store = {
      [a]: dir({ zzz: link('/nix/store/missing'), bin: dir({ broken: link('nowhere'), ok: file() }), loop: link('loop') }),
      [b]: dir({ bin: dir({ fine: file() }) }),
    };
    expect(build(store, [active(a), active(b)])).toEqual({
      outline: { bin: { fine: `-> ${b}/bin/fine`, ok: `-> ${a}/bin/ok` } },
      warnings: [
        `skipping dangling symlink '${a}/loop'`,
        `skipping dangling symlink '${a}/zzz'`,
        `skipping dangling symlink '${a}/bin/broken'`,
      ],
    });
  });

  it('does not include a package that is not a directory, with a warning', () => {
    const single = storePath('hello.txt', 'd');
    expect(build({ [single]: file('hi'), ...vectorPackages }, [active(single), active(P2)])).toEqual({
      outline: { bin: `-> ${P2}/bin`, share: `-> ${P2}/share` },
      warnings: [`not including '${single}' in the user environment because it's not a directory`],
    });
  });

  it('leaves out inactive packages', () => {
    expect(build(vectorPackages, [active(P2), { path: P1, priority: 5, active: false }]).outline).toEqual({
      bin: `-> ${P2}/bin`,
      share: `-> ${P2}/share`,
    });
  });

  it('links a package listed twice once, at its best priority, so it never collides with itself', () => {
    expect(build(vectorPackages, [active(P1), active(P2), active(P1, 3)])).toEqual(build(vectorPackages, [active(P1), active(P2)]));
  });

  it('refuses a package that is not in the store', () => {
    expect(buildError(vectorPackages, [active(storePath('gone-1', 'z'))])).toMatchObject({
      code: 'GENLEDGER_PACKAGE_MISSING',
      exitCode: 1,
    });
  });
});

describe('buildProfileTree propagated packages', () => {
  const parent = storePath('parent-1', 'b');
  const first = storePath('first-1', 'c');
  const second = storePath('second-1', 'd');
  const third = storePath('third-1', 'f');
  const store = {
    [parent]: dir({ 'nix-support': dir({ 'propagated-user-env-packages': file(`${second} \n\n${first}\n`) }) }),
    [first]: dir({ bin: dir({ x: file() }) }),
    [second]: dir({ bin: dir({ x: file(), y: file() }), 'nix-support': dir({ 'propagated-user-env-packages': file(third) }) }),
    [third]: dir({ bin: dir({ y: file(), z: file() }) }),
  };

  it('links them after the installed packages, wave by wave, each wave in byte order', () => {
    expect(build(store, [active(parent)]).outline).toEqual({
      bin: { x: `-> ${first}/bin/x`, y: `-> ${second}/bin/y`, z: `-> ${third}/bin/z` },
    });
  });

  it.each([
    { priority: 1000, name: 'x', clashesWith: first },
    { priority: 1001, name: 'y', clashesWith: second },
  ])('gives them priorities from 1000 up: bin/$name of a user package at $priority collides', ({ priority, name, clashesWith }) => {
    const user = storePath('user-1', 'g');
    const withUser = { ...store, [user]: dir({ bin: dir({ [name]: file() }) }) };
    expect(buildError(withUser, [active(parent), active(user, priority)])).toMatchObject({
      code: 'GENLEDGER_COLLISION',
      priority,
      packageA: clashesWith,
      packageB: user,
    });
  });

  it('propagates nothing from inactive packages', () => {
    expect(build({ ...store, ...vectorPackages }, [{ path: parent, priority: 5, active: false }, active(P2)]).outline).toEqual({
      bin: `-> ${P2}/bin`,
      share: `-> ${P2}/share`,
    });
  });

  it('keeps the priority of a propagated package that is also installed', () => {
    const user = storePath('user-1', 'g');
    const withUser = { ...store, [user]: dir({ bin: dir({ x: file() }) }) };
    expect(build(withUser, [active(parent), active(first, 1), active(user, 2)]).outline).toMatchObject({
      bin: { x: `-> ${first}/bin/x` },
    });
  });

  it('refuses a propagated package that is not in the store', () => {
    const broken = { [parent]: dir({ 'nix-support': dir({ 'propagated-user-env-packages': file('/nix/store/gone') }) }) };
    expect(buildError(broken, [active(parent)])).toMatchObject({ code: 'GENLEDGER_PACKAGE_MISSING' });
  });
});
