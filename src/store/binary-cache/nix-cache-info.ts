/**
 * `nix-cache-info`, the file that marks a directory as a binary cache
 * (spec 11.2). Written as exactly `StoreDir: <dir>\n`; read leniently as
 * Nix does (`Key: value` lines, values trimmed, other lines ignored), with
 * one hard rule: a cache made for another store directory is refused,
 * because its paths would name different objects in ours.
 */
import { refused } from '../../errors.js';
import type { StoreDir } from '../store-path.js';

export const NIX_CACHE_INFO = 'nix-cache-info';

export interface NixCacheInfo {
  readonly storeDir: string;
  readonly wantMassQuery?: boolean;
  readonly priority?: number;
}

/** `serving`: the fields a cache shared over HTTP announces (Nix asks such a cache about many paths at once only with WantMassQuery). */
export function renderNixCacheInfo(storeDir: StoreDir, serving?: { readonly wantMassQuery: boolean; readonly priority: number }): string {
  const extra = serving === undefined ? '' : `WantMassQuery: ${serving.wantMassQuery ? 1 : 0}\nPriority: ${serving.priority}\n`;
  return `StoreDir: ${storeDir.path}\n${extra}`;
}

/** Parses `text`; `whence` names the file or cache in messages. */
export function parseNixCacheInfo(text: string, storeDir: StoreDir, whence: string): NixCacheInfo {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon >= 0) fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const declared = fields.get('StoreDir');
  if (declared !== undefined && declared !== storeDir.path) {
    throw refused(
      'GENLEDGER_CACHE_STORE_DIR_MISMATCH',
      `binary cache ${whence} is for store '${declared}', not '${storeDir.path}'`,
      'use a cache made for the same store directory (--store-dir)',
    );
  }
  const wantMassQuery = fields.get('WantMassQuery');
  const priority = fields.get('Priority');
  return {
    storeDir: storeDir.path,
    ...(wantMassQuery === '1' || wantMassQuery === '0' ? { wantMassQuery: wantMassQuery === '1' } : {}),
    ...(priority !== undefined && /^-?\d{1,9}$/.test(priority) ? { priority: Number(priority) } : {}),
  };
}
