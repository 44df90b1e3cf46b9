import { describe, expect, it } from 'vitest';
import type { ManifestElement, ManifestSource } from '../../../src/projection/manifest-json.js';
import { renderManifest, renderManifestV2_28, renderManifestV3 } from '../../../src/projection/manifest-render.js';
import { P1, P2 } from './tree-fixtures.js';

const pkga: ManifestElement = { name: 'pkga', active: true, priority: 5, storePaths: [P1] };
const pkgb: ManifestElement = { name: 'pkgb', active: true, priority: 5, storePaths: [P2] };
const greetSource: ManifestSource = {
  originalUrl: 'path:/tmp/demo/flk',
  url: 'path:/tmp/demo/flk?lastModified=1795443760&narHash=sha256-734Fk6OxTke0NgRYyk4fwQtV44jiqIUGh77ckT4lpRI=',
  attrPath: 'packages.x86_64-linux.greet',
};
const greet: ManifestElement = {
  name: 'greet',
  active: true,
  priority: 5,
  storePaths: ['/nix/store/248p1ivcjxms1iajh5r5khzvnc16ls5r-greet-0.1'],
  source: greetSource,
};

const vector72 =
  '{"elements":[{"active":true,"storePaths":["/nix/store/vakjq8iw060mbdsy1y8x2ml3l3wx64gr-pkga-1.0"]},' +
  '{"active":true,"storePaths":["/nix/store/l5y46b8p9il518p7jhl4nnsh86xlry98-pkgb-2.0"]}],"version":2}';

describe('renderManifestV2_28', () => {
  it('writes the 198 bytes of vector 7.2, elements in manifest order', () => {
    const text = renderManifestV2_28([pkga, pkgb]);
    expect(text).toBe(vector72);
    expect(new TextEncoder().encode(text).length).toBe(198);
  });

  it('writes a flake element as Nix 2.8 did in vector 13.5 (keys sorted, no priority, no outputs)', () => {
    expect(renderManifestV2_28([{ ...greet, priority: 3, source: { ...greetSource, outputs: ['out'] } }])).toBe(
      '{"elements":[{"active":true,"attrPath":"packages.x86_64-linux.greet","originalUrl":"path:/tmp/demo/flk",' +
        '"storePaths":["/nix/store/248p1ivcjxms1iajh5r5khzvnc16ls5r-greet-0.1"],' +
        '"url":"path:/tmp/demo/flk?lastModified=1795443760&narHash=sha256-734Fk6OxTke0NgRYyk4fwQtV44jiqIUGh77ckT4lpRI="}],"version":2}',
    );
  });

  it('writes store paths as a sorted set and inactive elements as inactive', () => {
    expect(renderManifestV2_28([{ ...pkga, active: false, storePaths: [P2, P1, P2] }])).toBe(
      `{"elements":[{"active":false,"storePaths":["${P2}","${P1}"]}],"version":2}`,
    );
  });

  it('writes an empty profile as an empty array', () => {
    expect(renderManifestV2_28([])).toBe('{"elements":[],"version":2}');
  });
});

describe('renderManifestV3', () => {
  it('writes the predicted version 3 manifest: keyed by name, priority always written', () => {
    expect(renderManifestV3([pkgb, pkga])).toBe(
      `{"elements":{"pkga":{"active":true,"priority":5,"storePaths":["${P1}"]},` +
        `"pkgb":{"active":true,"priority":5,"storePaths":["${P2}"]}},"version":3}`,
    );
  });

  it.each([
    { outputs: undefined, written: 'null' },
    { outputs: null, written: 'null' },
    { outputs: ['*'], written: '["*"]' },
    { outputs: ['out', 'dev', 'out'], written: '["dev","out"]' },
  ])('writes outputs $written for a sourced element given $outputs', ({ outputs, written }) => {
    const text = renderManifestV3([{ ...greet, source: { ...greetSource, outputs } }]);
    expect(text).toContain(`"originalUrl":"path:/tmp/demo/flk","outputs":${written},"priority":5,`);
  });

  it('keys a name like __proto__ as an ordinary member', () => {
    expect(renderManifestV3([{ ...pkga, name: '__proto__' }])).toMatch(/^\{"elements":\{"__proto__":\{"active":true/);
  });

  it('refuses elements whose names are not unique', () => {
    expect(() => renderManifestV3([pkga, { ...pkgb, name: 'pkga' }])).toThrow(/not unique/);
  });
});

describe('renderManifest', () => {
  it('picks the writer for the version asked', () => {
    expect(renderManifest({ elements: [pkga, pkgb] }, 2)).toBe(vector72);
    expect(renderManifest({ elements: [pkga] }, 3)).toBe(renderManifestV3([pkga]));
  });
});
