/**
 * `store verify`: every registered path must exist on disk and, with
 * `contents`, hash to its recorded NAR hash and size. Problems are data for
 * the caller to report; nothing is repaired here.
 */
import { existsSync } from 'node:fs';
import { hashPath } from './nar-writer.js';
import type { PathInfoDb } from './path-info-db.js';
import type { StoreLocation } from './store-location.js';

export interface StoreProblem {
  path: string;
  kind: 'missing' | 'corrupt';
  message: string;
}

export interface StoreVerifyReport {
  checked: number;
  problems: StoreProblem[];
}

export async function verifyStore(location: StoreLocation, pathInfos: PathInfoDb, options: { contents: boolean; onPath?: (done: number, total: number) => void }): Promise<StoreVerifyReport> {
  const problems: StoreProblem[] = [];
  const infos = await pathInfos.all();
  for (const [index, info] of infos.entries()) {
    options.onPath?.(index, infos.length);
    const physical = location.physical(info.path);
    if (!existsSync(physical)) {
      problems.push({ path: info.path, kind: 'missing', message: `path '${info.path}' is registered but missing from disk` });
      continue;
    }
    if (!options.contents) continue;
    const actual = hashPath(physical);
    if (!actual.narHash.equals(info.narHash) || actual.narSize !== info.narSize) {
      problems.push({
        path: info.path,
        kind: 'corrupt',
        message: `path '${info.path}' was modified: expected hash '${info.narHash.toTyped('nix32')}', got '${actual.narHash.toTyped('nix32')}'`,
      });
    }
  }
  return { checked: infos.length, problems };
}
