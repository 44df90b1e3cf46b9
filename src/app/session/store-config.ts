/**
 * Which store a state home uses. The first command that opens a home
 * records its store: the embedded store (logical dir and optional chroot
 * root) or a Nix installation's (`--store nix[:URI]`, with the store
 * directory Nix named); later commands use the record, so a home is never
 * pointed at two stores by accident.
 */
import type { AbstractLevel } from 'abstract-level';
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { refused, usageError } from '../../errors.js';
import { StoreLocation } from '../../store/store-location.js';
import type { NixStoreTarget } from '../../store/nix/nix-store-target.js';
import { resolveNixStoreTarget } from '../../store/nix/nix-store-uri.js';

type Db = AbstractLevel<string | Buffer | Uint8Array, string, string>;

export interface StoreConfig {
  storeDir: string;
  /** Where the store's trees live when not at `storeDir` (a chroot store). */
  storeRoot: string | null;
  /** Absent in records older than the Nix backend: the embedded store. */
  backend?: 'embedded' | 'nix';
  /** For `nix`: the URI given after `nix:`, or null for the store Nix chooses itself. */
  nixStore?: string | null;
}

export interface StoreFlags {
  store?: string;
  storeDir?: string;
  storeRoot?: string;
}

/** The store a command uses, and the record it comes from (as the database holds it, or as it was just recorded). */
export type StoreChoice =
  | { readonly kind: 'embedded'; readonly location: StoreLocation; readonly config: StoreConfig }
  | { readonly kind: 'nix'; readonly location: StoreLocation; readonly config: StoreConfig; readonly target: NixStoreTarget };

/** The recorded store, or null before the first command recorded one. */
export async function readStoreConfig(db: Db): Promise<StoreConfig | null> {
  const recordedText = await db.sublevel<string, string>('config', { valueEncoding: 'utf8' }).get('store');
  return recordedText === undefined ? null : (JSON.parse(recordedText) as StoreConfig);
}

/** What the flags ask for: a backend, and for the embedded store maybe its place (undefined: not given). */
interface WantedStore {
  readonly backend: 'embedded' | 'nix';
  readonly nixStore: string | null;
  readonly place?: { readonly storeDir: string; readonly storeRoot: string | null };
}

export async function resolveStore(db: Db, homeRoot: string, flags: StoreFlags, cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<StoreChoice> {
  const config = db.sublevel<string, string>('config', { valueEncoding: 'utf8' });
  const recorded = await readStoreConfig(db);
  const wanted = wantedStore(flags, homeRoot, cwd);
  if (recorded !== null && wanted !== null && !sameStore(wanted, recorded)) {
    throw refused('GENLEDGER_STORE_MISMATCH', `this home uses ${describeRecorded(recorded)}, not ${describeWanted(wanted)}`, 'drop --store, --store-dir and --store-root, or use another --home');
  }
  const backend = recorded !== null ? (recorded.backend ?? 'embedded') : (wanted?.backend ?? 'embedded');
  if (backend === 'embedded') {
    const place = recorded ?? wanted?.place ?? { storeDir: join(homeRoot, 'store'), storeRoot: null };
    const record: StoreConfig = recorded ?? { storeDir: place.storeDir, storeRoot: place.storeRoot };
    if (recorded === null) await config.put('store', JSON.stringify(record));
    return { kind: 'embedded', location: StoreLocation.of(place.storeDir, place.storeRoot), config: record };
  }
  const spec = recorded !== null ? (recorded.nixStore ?? null) : (wanted?.nixStore ?? null);
  const target = resolveNixStoreTarget(spec, env);
  const storeRoot = target.realStoreDir === target.storeDir ? null : target.realStoreDir.slice(0, -target.storeDir.length);
  const record: StoreConfig = recorded ?? { storeDir: target.storeDir, storeRoot, backend: 'nix', nixStore: spec };
  if (recorded === null) {
    await config.put('store', JSON.stringify(record));
  } else if (recorded.storeDir !== target.storeDir || recorded.storeRoot !== storeRoot) {
    throw refused(
      'GENLEDGER_STORE_MISMATCH',
      `this home uses Nix's store '${recorded.storeDir}'${recorded.storeRoot === null ? '' : ` under '${recorded.storeRoot}'`}, but Nix now chooses '${target.storeDir}'${storeRoot === null ? '' : ` under '${storeRoot}'`}`,
      'set NIX_REMOTE (or --store nix:URI) as when the home was created, or use another --home',
    );
  }
  return { kind: 'nix', location: new StoreLocation(target.storeDir, target.realStoreDir), config: record, target };
}

/**
 * The embedded store the flags place (--store-dir, --store-root), or null.
 * Refuses flags that are usage errors (exit 2) whatever the home holds: it
 * runs before the home is looked at, so they win over GENLEDGER_NO_HOME.
 */
export function flaggedStore(flags: StoreFlags, homeRoot: string, cwd: string, env: Readonly<Record<string, string | undefined>>): StoreLocation | null {
  const wanted = wantedStore(flags, homeRoot, cwd);
  if (wanted?.backend === 'nix') resolveNixStoreTarget(wanted.nixStore, env);
  return wanted?.place === undefined ? null : StoreLocation.of(wanted.place.storeDir, wanted.place.storeRoot);
}

function wantedStore(flags: StoreFlags, homeRoot: string, cwd: string): WantedStore | null {
  const backend = parseBackend(flags.store);
  const placed = flags.storeDir !== undefined || flags.storeRoot !== undefined;
  if (backend?.backend === 'nix') {
    if (placed) {
      throw usageError('GENLEDGER_BAD_OPTION', '--store-dir and --store-root are for the embedded store; Nix names its own store', 'use --store nix:URI, e.g. nix:local?root=DIR for a chroot store');
    }
    return backend;
  }
  if (!placed) return backend;
  const storeDir = flags.storeDir ?? join(homeRoot, 'store');
  if ((!isAbsolute(storeDir) || normalize(storeDir) !== storeDir || storeDir === '/' || storeDir.endsWith('/'))) {
    throw usageError('GENLEDGER_BAD_STORE_DIR', `--store-dir must be a normalised absolute path, not '${storeDir}'`);
  }
  return { backend: 'embedded', nixStore: null, place: { storeDir, storeRoot: flags.storeRoot === undefined ? null : resolve(cwd, flags.storeRoot) } };
}

function parseBackend(store: string | undefined): WantedStore | null {
  if (store === undefined) return null;
  if (store === 'embedded') return { backend: 'embedded', nixStore: null };
  if (store === 'nix') return { backend: 'nix', nixStore: null };
  if (store.startsWith('nix:') && store.length > 4) return { backend: 'nix', nixStore: store.slice(4) };
  throw usageError('GENLEDGER_BAD_STORE', `--store takes 'embedded', 'nix' or 'nix:URI', not '${store}'`, "e.g. --store nix, or --store 'nix:local?root=/srv/nix' for a chroot store");
}

function sameStore(wanted: WantedStore, recorded: StoreConfig): boolean {
  if (wanted.backend !== (recorded.backend ?? 'embedded')) return false;
  if (wanted.backend === 'nix') return wanted.nixStore === (recorded.nixStore ?? null);
  if (wanted.place === undefined) return true;
  return wanted.place.storeDir === recorded.storeDir && wanted.place.storeRoot === recorded.storeRoot;
}

function describeRecorded(config: StoreConfig): string {
  if (config.backend === 'nix') return config.nixStore === null || config.nixStore === undefined ? 'the store Nix chooses (--store nix)' : `Nix's store '${config.nixStore}' (--store nix:${config.nixStore})`;
  return config.storeRoot === null ? `the store '${config.storeDir}'` : `the store '${config.storeDir}' under '${config.storeRoot}'`;
}

function describeWanted(wanted: WantedStore): string {
  if (wanted.backend === 'nix') return describeRecorded({ storeDir: '', storeRoot: null, backend: 'nix', nixStore: wanted.nixStore });
  return wanted.place === undefined ? 'the embedded store' : describeRecorded(wanted.place);
}
