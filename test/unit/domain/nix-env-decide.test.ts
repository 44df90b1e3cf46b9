/**
 * How a nix-env profile's manifest changes (spec 8.2a): install puts new
 * elements first and replaces installed ones of the same DrvName name
 * unless meta.keep; a `.drv` gives its out output named after the `.drv`;
 * read-back gives "unknown" systems; priority and active go into meta as
 * --set-flag strings.
 */
import { describe, expect, it } from 'vitest';
import { nixEnvElementOfStorePath } from '../../../src/domain/nix-env-element.js';
import { nixEnvInstall, nixEnvReadBack, withNixEnvFields } from '../../../src/domain/nix-env-decide.js';
import type { ResolvedInstallable } from '../../../src/domain/profile-commands.js';

const A1 = '/nix/store/vakjq8iw060mbdsy1y8x2ml3l3wx64gr-pkga-1.0';
const A2 = '/nix/store/00000000000000000000000000000002-pkga-2.0';
const B = '/nix/store/l5y46b8p9il518p7jhl4nnsh86xlry98-pkgb-2.0';
const OUT = '/nix/store/00000000000000000000000000000003-simple';
const DRV = '/nix/store/00000000000000000000000000000004-simple.drv';

const installable = (storePaths: string[], extra: Partial<ResolvedInstallable> = {}): ResolvedInstallable => ({ installable: storePaths[0] as string, name: 'x', storePaths, priority: 5, ...extra });

describe('nixEnvInstall', () => {
  const installed = { elements: [nixEnvElementOfStorePath(A1, 5), nixEnvElementOfStorePath(B, 5)] };

  it('puts the new elements first and replaces an installed element of the same DrvName name', () => {
    const { manifest, installed: added } = nixEnvInstall(installed, [installable([A2])]);
    expect(manifest.elements.map((element) => element.nixEnv?.name)).toEqual(['pkga-2.0', 'pkgb-2.0']);
    expect(added.map((element) => [element.name, element.storePaths])).toEqual([['pkga', [A2]]]);
  });

  it('keeps an installed element whose meta.keep is true, and names the new one apart', () => {
    const kept = { elements: installed.elements.map((element) => (element.name === 'pkga' ? { ...element, nixEnv: { ...element.nixEnv!, meta: { keep: 'true' } } } : element)) };
    const { manifest } = nixEnvInstall(kept, [installable([A2])]);
    expect(manifest.elements.map((element) => [element.name, element.nixEnv?.name])).toEqual([
      ['pkga-1', 'pkga-2.0'],
      ['pkga', 'pkga-1.0'],
      ['pkgb', 'pkgb-2.0'],
    ]);
  });

  it('installs a .drv as its out output, named after the .drv as nix-env names it', () => {
    const { manifest } = nixEnvInstall({ elements: [] }, [installable([OUT], { derivation: DRV })]);
    expect(manifest.elements).toEqual([{ name: 'simple.drv', active: true, priority: 5, storePaths: [OUT], nixEnv: { name: 'simple.drv', outPath: OUT, outputs: [{ name: 'out', path: OUT }], meta: {} } }]);
  });
});

describe('read-back and flags', () => {
  it('gives elements without a system the system "unknown", and keeps one that has a system', () => {
    const element = nixEnvElementOfStorePath(A1, 5);
    const withSystem = { ...element, nixEnv: { ...element.nixEnv!, system: 'x86_64-linux' } };
    expect(nixEnvReadBack({ elements: [element, withSystem] }).elements.map((e) => e.nixEnv?.system)).toEqual(['unknown', 'x86_64-linux']);
  });

  it('writes a changed priority and active flag into meta as the strings --set-flag writes, and leaves defaults out', () => {
    const element = nixEnvElementOfStorePath(A1, 5);
    const changed = withNixEnvFields({ elements: [{ ...element, priority: 4, active: false }, nixEnvElementOfStorePath(B, 5)] });
    expect(changed.elements.map((e) => e.nixEnv?.meta)).toEqual([{ priority: '4', active: 'false' }, {}]);
  });
});
