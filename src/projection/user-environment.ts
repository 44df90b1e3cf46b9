/**
 * A nix-env user environment, computed as `createUserEnv` makes it (spec
 * 8.1-8.3): the `env-manifest.nix` text (the value printer's output for the
 * element list) stored as a text path referring to every output, the
 * `user-environment` derivation (builtin buildenv; its only input is the
 * manifest, because the output paths in `derivations` carry no string
 * context) and its input-addressed output path. Equal elements in equal
 * order give equal bytes and paths.
 */
import type { NixEnvFields, NixEnvMetaValue } from '../domain/nix-env-fields.js';
import { Hash } from '../store/hash.js';
import { compareUtf8 } from '../store/nar-tree.js';
import type { StoreDir } from '../store/store-path.js';
import { writeInputAddressedDerivation } from './derivation-aterm.js';
import type { WrittenDerivation } from './derivation-aterm.js';
import { printNixValue } from './nix-value-print.js';

export const ENV_MANIFEST_NAME = 'env-manifest.nix';
export const USER_ENVIRONMENT_NAME = 'user-environment';
/** The link in a user environment that nix-env reads the installed elements from. */
export const MANIFEST_NIX_LINK = 'manifest.nix';

export interface UserEnvironment {
  readonly manifestText: string;
  readonly manifestPath: string;
  /** Every output path of every element: the env-manifest's references. */
  readonly manifestReferences: readonly string[];
  readonly derivation: WrittenDerivation;
  /** The user environment's output path: the profile's store path. */
  readonly outPath: string;
}

export function userEnvironment(storeDir: StoreDir, elements: readonly NixEnvFields[]): UserEnvironment {
  const manifestText = printEnvManifest(elements);
  const manifestReferences = [...new Set(elements.flatMap((element) => element.outputs.map((output) => output.path)))].sort(compareUtf8);
  const manifestPath = storeDir.makeTextPath(Hash.of('sha256', manifestText), manifestReferences, ENV_MANIFEST_NAME);
  const derivation = writeInputAddressedDerivation(storeDir, USER_ENVIRONMENT_NAME, ['out'], {
    inputDrvs: [],
    inputSrcs: [manifestPath],
    system: 'builtin',
    builder: 'builtin:buildenv',
    args: [],
    env: {
      allowSubstitutes: '',
      builder: 'builtin:buildenv',
      derivations: derivationsEnv(elements),
      manifest: manifestPath,
      name: USER_ENVIRONMENT_NAME,
      preferLocalBuild: '1',
      system: 'builtin',
    },
  });
  return { manifestText, manifestPath, manifestReferences, derivation, outPath: derivation.outputPaths.get('out') as string };
}

/** The env-manifest.nix bytes: each element as the pseudo-derivation `createUserEnv` builds (without drvPath: keep-env-derivations is off). */
export function printEnvManifest(elements: readonly NixEnvFields[]): string {
  return printNixValue(
    elements.map((element) => ({
      type: 'derivation',
      name: element.name,
      ...(element.system === undefined || element.system === '' ? {} : { system: element.system }),
      outPath: element.outPath,
      outputs: element.outputs.map((output) => output.name),
      ...Object.fromEntries(element.outputs.map((output) => [output.name, { outPath: output.path }])),
      meta: element.meta,
    })),
  );
}

/**
 * buildenv.nix's `derivations`: per element `[ (meta.active or "true")
 * (meta.priority or 5) (length outputs) ] ++ output paths`, flattened into
 * one string the way a derivation's env takes a list.
 */
export function derivationsEnv(elements: readonly NixEnvFields[]): string {
  return elements
    .flatMap((element) => [
      envString(element.meta.active ?? 'true'),
      envString(element.meta.priority ?? 5),
      String(element.outputs.length),
      ...element.outputs.map((output) => output.path),
    ])
    .join(' ');
}

/** How a derivation attribute turns a value into its env string: `true` is "1", `false` and null are empty. */
function envString(value: NixEnvMetaValue): string {
  if (value === true) return '1';
  if (value === false || value === null) return '';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw new Error(`derivationsEnv: ${JSON.stringify(value)} cannot be a buildenv flag`);
}
