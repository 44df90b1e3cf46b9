import { describe, expect, it } from 'vitest';
import { buildProfileTree } from '../../../src/projection/buildenv.js';
import type { ManifestElement } from '../../../src/projection/manifest-json.js';
import { renderManifestV2_28, renderManifestV2WithPriorities, renderManifestV3 } from '../../../src/projection/manifest-render.js';
import { memoryPackageView } from '../../../src/projection/memory-package-view.js';
import { profileTree } from '../../../src/projection/profile-tree.js';
import { narHashOfTree } from '../../../src/store/nar-tree.js';
import { StoreDir } from '../../../src/store/store-path.js';
import { P1, P2, outline, vectorPackages } from './tree-fixtures.js';

const element = (name: string, storePath: string): ManifestElement => ({
  name,
  active: true,
  priority: 5,
  storePaths: [storePath],
});

function profilePath(elements: readonly ManifestElement[], render: (elements: readonly ManifestElement[]) => string) {
  const packages = elements.flatMap((e) => e.storePaths.map((path) => ({ path, priority: e.priority, active: e.active })));
  const { tree } = buildProfileTree(packages, memoryPackageView(vectorPackages));
  const full = profileTree(tree, render(elements));
  const { narHash, narSize } = narHashOfTree(full);
  const references = elements.flatMap((e) => e.storePaths);
  return { tree: full, narHash, narSize, path: new StoreDir('/nix/store').makeSourcePath(narHash, references, false, 'profile') };
}

describe('profile store paths of vector 13.5', () => {
  it('reproduces generation 1 (pkga, pkgb) byte for byte: NAR of 2000 bytes, same hash, same path', () => {
    const built = profilePath([element('pkga', P1), element('pkgb', P2)], renderManifestV2_28);
    expect(built.narSize).toBe(2000);
    expect(built.narHash.toNix32()).toBe('1240217g0cnfgrzpwq71rxbi3kmc26q6sls1qalb6min1rmq1m8q');
    expect(built.path).toBe('/nix/store/szb20r8nz15vbncgwf5ma0dzdsxaaigv-profile');
    expect(outline(built.tree)).toEqual({
      bin: { a: `-> ${P1}/bin/a`, b: `-> ${P2}/bin/b` },
      'manifest.json': 'file',
      share: { doc: { pkga: `-> ${P1}/share/doc/pkga`, pkgb: `-> ${P2}/share/doc/pkgb` } },
    });
  });

  it('reproduces generation 2 (pkgb alone, after removing pkga)', () => {
    expect(profilePath([element('pkgb', P2)], renderManifestV2_28).path).toBe(
      '/nix/store/8wrw9jhxnfn36wwnf8sg4l4xsyn0p9qm-profile',
    );
  });

  it('gives the path predicted for the 2.9-2.19 version 2 manifest (with priorities) of the same packages', () => {
    expect(profilePath([element('pkga', P1), element('pkgb', P2)], renderManifestV2WithPriorities).path).toBe(
      '/nix/store/997rrb94vz4w6wxnm629x7rhx320bqjr-profile',
    );
  });

  it('gives the path predicted for a version 3 manifest of the same packages', () => {
    expect(profilePath([element('pkga', P1), element('pkgb', P2)], renderManifestV3).path).toBe(
      '/nix/store/2bf9dkz3yvncw5d5mcyfm1kq0aghx5bs-profile',
    );
  });
});

describe('profileTree', () => {
  it('adds manifest.json as a plain file holding exactly the text, leaving the packages tree untouched', () => {
    const { tree } = buildProfileTree([{ path: P2, priority: 5, active: true }], memoryPackageView(vectorPackages));
    const full = profileTree(tree, '{"x":"é"}');
    const manifest = full.entries.get('manifest.json');
    expect(manifest).toEqual({ type: 'regular', executable: false, contents: new TextEncoder().encode('{"x":"é"}') });
    expect(tree.entries.has('manifest.json')).toBe(false);
    expect(full.entries.get('bin')).toBe(tree.entries.get('bin'));
  });
});
