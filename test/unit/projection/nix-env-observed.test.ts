/**
 * A nix-env generation read from disk stays in nix-env format only when it
 * rebuilds as the path its link names (vector 13.6, generation 1).
 */
import { describe, expect, it } from 'vitest';
import { parseEnvManifest } from '../../../src/projection/env-manifest-parse.js';
import { observedNixEnvGeneration } from '../../../src/projection/nix-env-observed.js';
import { StoreDir } from '../../../src/store/store-path.js';

const storeDir = new StoreDir('/nix/store');
const P1 = '/nix/store/vakjq8iw060mbdsy1y8x2ml3l3wx64gr-pkga-1.0';
const P2 = '/nix/store/l5y46b8p9il518p7jhl4nnsh86xlry98-pkgb-2.0';
const TARGET = '/nix/store/rc5y1f6260fd1niw8yxsj9c7j4lkq2gv-user-environment';
const VECTOR = `[ { meta = { }; name = "pkga-1.0"; out = { outPath = "${P1}"; }; outPath = "${P1}"; outputs = [ "out" ]; type = "derivation"; } { meta = { }; name = "pkgb-2.0"; out = { outPath = "${P2}"; }; outPath = "${P2}"; outputs = [ "out" ]; type = "derivation"; } ]`;

describe('observedNixEnvGeneration', () => {
  it('keeps the nix-env format and fields when the elements rebuild as the generation path', () => {
    const read = observedNixEnvGeneration(storeDir, TARGET, parseEnvManifest(VECTOR, 'manifest.nix'));
    expect(read.manifestVersion).toBe('nix-env');
    expect(read.elements.map((element) => element.nixEnv?.name)).toEqual(['pkga-1.0', 'pkgb-2.0']);
  });

  it('records a manifest.json profile without nix-env fields when they rebuild as another path', () => {
    const other = '/nix/store/00000000000000000000000000000000-user-environment';
    const read = observedNixEnvGeneration(storeDir, other, parseEnvManifest(VECTOR, 'manifest.nix'));
    expect(read.manifestVersion).toBe(2);
    expect(read.elements).toEqual([
      { name: 'pkga', active: true, priority: 5, storePaths: [P1] },
      { name: 'pkgb', active: true, priority: 5, storePaths: [P2] },
    ]);
  });

  it('does so when an element cannot be printed back the same', () => {
    const read = observedNixEnvGeneration(storeDir, TARGET, parseEnvManifest(VECTOR.replace('meta = { };', 'meta = { x = 1.5; };'), 'manifest.nix'));
    expect(read.manifestVersion).toBe(2);
  });
});
