/**
 * How nix-env makes and changes its elements (spec 8.2a): a store path
 * becomes an element named by its store name with empty meta; elements read
 * back from manifest.nix get the system "unknown"; priority and active live
 * in meta as the strings `--set-flag` writes.
 */
import { parseDrvName, storePathName } from '../projection/drv-name.js';
import { defaultPriority } from './profile-manifest.js';
import type { ProfileElement } from './profile-manifest.js';
import type { NixEnvFields, NixEnvMetaValue } from './nix-env-fields.js';

/** The system nix-env gives an element whose manifest entry has none (`DrvInfo::querySystem`). */
export const UNKNOWN_SYSTEM = 'unknown';

/**
 * What `nix-env -i STORE-PATH` records for a store path. A `.drv` is
 * recorded by its `out` output `path` but named after the derivation, `.drv`
 * kept (8.2a: `name = "simple.drv"`).
 */
export function nixEnvFieldsOfStorePath(path: string, derivation?: string): NixEnvFields {
  return { name: storePathName(derivation ?? path), outPath: path, outputs: [{ name: 'out', path }], meta: {} };
}

/** The nix-env fields of any element: its own, or those nix-env would record for its first store path. */
export function nixEnvFieldsOf(element: ProfileElement): NixEnvFields {
  const fields = element.nixEnv ?? nixEnvFieldsOfStorePath(element.storePaths[0] ?? '');
  return { ...fields, meta: withPriorityAndActive(fields.meta, element) };
}

/** An element as nix-env sees it after reading it back from manifest.nix: without a system, it is "unknown". */
export function readBack(element: ProfileElement): ProfileElement {
  const fields = nixEnvFieldsOf(element);
  return { ...element, nixEnv: { ...fields, system: fields.system ?? UNKNOWN_SYSTEM } };
}

/** A store-path (or `.drv` output) element as nix-env installs it: named by its full name's DrvName name, meta empty. */
export function nixEnvElementOfStorePath(path: string, priority: number, derivation?: string): ProfileElement {
  const fields = nixEnvFieldsOfStorePath(path, derivation);
  const element = { name: parseDrvName(fields.name).name, active: true, priority, storePaths: [path] };
  return { ...element, nixEnv: { ...fields, meta: withPriorityAndActive({}, element) } };
}

/**
 * meta.priority and meta.active follow the element's priority and active
 * flag: set as `--set-flag` sets them (strings) when they differ from what
 * meta says, dropped when they are the defaults and meta never had them.
 */
function withPriorityAndActive(meta: NixEnvFields['meta'], element: { readonly priority: number; readonly active: boolean }): NixEnvFields['meta'] {
  const result: Record<string, NixEnvMetaValue> = { ...meta };
  if (metaNumber(meta.priority, defaultPriority) !== element.priority) result.priority = String(element.priority);
  if (metaBool(meta.active, true) !== element.active) result.active = String(element.active);
  return result;
}

function metaNumber(value: NixEnvMetaValue | undefined, fallback: number): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?[0-9]+$/.test(value)) return Number(value);
  return fallback;
}

function metaBool(value: NixEnvMetaValue | undefined, fallback: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return fallback;
}
