/**
 * Which store a state home uses. The first command that opens a home
 * records its store (logical dir and optional chroot root); later commands
 * use the record, so a home is never pointed at two stores by accident.
 */
import type { AbstractLevel } from 'abstract-level';
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { refused, usageError } from '../../errors.js';
import { StoreLocation } from '../../store/store-location.js';

type Db = AbstractLevel<string | Buffer | Uint8Array, string, string>;

export interface StoreConfig {
  storeDir: string;
  storeRoot: string | null;
}

export interface StoreFlags {
  storeDir?: string;
  storeRoot?: string;
}

/** The recorded store, or null before the first command recorded one. */
export async function readStoreConfig(db: Db): Promise<StoreConfig | null> {
  const recordedText = await db.sublevel<string, string>('config', { valueEncoding: 'utf8' }).get('store');
  return recordedText === undefined ? null : (JSON.parse(recordedText) as StoreConfig);
}

export async function resolveStore(db: Db, homeRoot: string, flags: StoreFlags, cwd: string): Promise<StoreLocation> {
  const config = db.sublevel<string, string>('config', { valueEncoding: 'utf8' });
  const recorded = await readStoreConfig(db);
  const wanted = wantedConfig(flags, homeRoot, cwd);
  if (recorded === null) {
    const chosen = wanted ?? { storeDir: join(homeRoot, 'store'), storeRoot: null };
    await config.put('store', JSON.stringify(chosen));
    return StoreLocation.of(chosen.storeDir, chosen.storeRoot);
  }
  if (wanted !== null && (wanted.storeDir !== recorded.storeDir || wanted.storeRoot !== recorded.storeRoot)) {
    throw refused(
      'GENLEDGER_STORE_MISMATCH',
      `this home uses the store ${describe(recorded)}, not ${describe(wanted)}`,
      'drop --store-dir/--store-root, or use another --home',
    );
  }
  return StoreLocation.of(recorded.storeDir, recorded.storeRoot);
}

function wantedConfig(flags: StoreFlags, homeRoot: string, cwd: string): StoreConfig | null {
  if (flags.storeDir === undefined && flags.storeRoot === undefined) return null;
  const storeDir = flags.storeDir ?? join(homeRoot, 'store');
  if (!isAbsolute(storeDir) || normalize(storeDir) !== storeDir || storeDir === '/' || storeDir.endsWith('/')) {
    throw usageError('GENLEDGER_BAD_STORE_DIR', `--store-dir must be a normalised absolute path, not '${storeDir}'`);
  }
  const storeRoot = flags.storeRoot === undefined ? null : resolve(cwd, flags.storeRoot);
  return { storeDir, storeRoot };
}

function describe(config: StoreConfig): string {
  return config.storeRoot === null ? `'${config.storeDir}'` : `'${config.storeDir}' under '${config.storeRoot}'`;
}
