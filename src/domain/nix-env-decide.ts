/**
 * How a nix-env profile's manifest changes (spec 8.2a), as pure functions
 * that profile-decide.ts calls for a profile in nix-env format. Every
 * operation starts from the installed elements as nix-env reads them back
 * (so elements without a system get "unknown"); install puts the new
 * elements first, in argument order, one per store path (a `.drv` gives
 * its `out` output, named after the `.drv`), and drops an
 * installed element whose DrvName name equals a new one's ("replacing
 * old"); every element leaves with its nix-env fields in step with its
 * priority and active flag.
 */
import { refused } from '../errors.js';
import { parseDrvName } from '../projection/drv-name.js';
import { uniqueElementName } from '../projection/element-name.js';
import { nixEnvElementOfStorePath, nixEnvFieldsOf, nixEnvFieldsOfStorePath, readBack } from './nix-env-element.js';
import type { ResolvedInstallable, ResolvedUpgrade } from './profile-commands.js';
import type { InstalledElement } from './profile-events.js';
import type { ProfileElement, ProfileManifest } from './profile-manifest.js';

export function nixEnvReadBack(manifest: ProfileManifest): ProfileManifest {
  return { elements: manifest.elements.map(readBack) };
}

/** The elements of a nix-env profile with their nix-env fields filled in and in step. */
export function withNixEnvFields(manifest: ProfileManifest): ProfileManifest {
  return { elements: manifest.elements.map((element) => ({ ...element, nixEnv: nixEnvFieldsOf(element) })) };
}

export function nixEnvInstall(installed: ProfileManifest, installables: readonly ResolvedInstallable[]): { manifest: ProfileManifest; installed: InstalledElement[] } {
  const fresh = installables.flatMap((item) =>
    item.storePaths.map((path) => ({ item, element: { ...nixEnvElementOfStorePath(path, item.priority, item.derivation), ...(item.source === undefined ? {} : { source: item.source }) } })),
  );
  const freshNames = new Set(fresh.map(({ element }) => drvNameOf(element)));
  const kept = installed.elements.filter((element) => !freshNames.has(drvNameOf(element)) || isKept(element));
  const taken = new Set(kept.map((element) => element.name));
  const added = fresh.map(({ item, element }) => {
    const name = uniqueElementName(element.name, taken);
    taken.add(name);
    return { item, element: { ...element, name } };
  });
  return {
    manifest: { elements: [...added.map(({ element }) => element), ...kept] },
    installed: added.map(({ item, element }) => ({
      name: element.name,
      storePaths: element.storePaths,
      priority: element.priority,
      ...(element.source === undefined ? {} : { source: element.source }),
      installable: item.installable,
    })),
  };
}

/** An upgraded element keeps its meta and takes the new package's name and output, as `nix-env --upgrade` replaces one. */
export function nixEnvUpgrade(element: ProfileElement, upgrade: ResolvedUpgrade): ProfileElement {
  const [path] = upgrade.storePaths;
  if (path === undefined || upgrade.storePaths.length !== 1) {
    throw refused(
      'GENLEDGER_NIX_ENV_UNSUPPORTED',
      `'${upgrade.name}' upgrades to ${upgrade.storePaths.length} store paths; a nix-env element installed from store paths has one`,
      'install the store paths as separate packages instead',
    );
  }
  return { ...element, storePaths: [path], source: upgrade.source, nixEnv: { ...nixEnvFieldsOfStorePath(path), meta: nixEnvFieldsOf(element).meta } };
}

function drvNameOf(element: ProfileElement): string {
  return parseDrvName(nixEnvFieldsOf(element).name).name;
}

/** `meta.keep`, read as nix-env's `queryMetaBool` reads it. */
function isKept(element: ProfileElement): boolean {
  const keep = element.nixEnv?.meta.keep;
  return keep === true || keep === 'true';
}
