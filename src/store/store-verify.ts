/**
 * `store verify`: every path the store holds valid must exist on disk and,
 * with `contents`, hash to its recorded NAR hash and size. Problems are
 * data for the caller to report; nothing is repaired here. Both adapters
 * check this way: the embedded store over its registry, a Nix store over
 * what Nix's database holds (`nix-store --verify [--check-contents]`).
 */
import { existsSync } from 'node:fs';
import { hashPath } from './nar-writer.js';
import type { PathInfo } from './path-info.js';
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

export interface VerifyOptions {
  readonly contents: boolean;
  /** Hears each path before it is checked; failing (a stop signal) ends the scan there. */
  readonly onPath?: (done: number, total: number) => void | Promise<void>;
}

/** `paths` are the store's valid paths; `infoOf` is asked only when contents are checked; `whereValid` names the registry in messages. */
export async function verifyStorePaths(
  location: StoreLocation,
  paths: readonly string[],
  infoOf: (path: string) => Promise<PathInfo>,
  whereValid: string,
  options: VerifyOptions,
): Promise<StoreVerifyReport> {
  const problems: StoreProblem[] = [];
  for (const [index, path] of paths.entries()) {
    await options.onPath?.(index, paths.length);
    const physical = location.physical(path);
    if (!existsSync(physical)) {
      problems.push({ path, kind: 'missing', message: `path '${path}' is ${whereValid} but missing from disk` });
      continue;
    }
    if (!options.contents) continue;
    const info = await infoOf(path);
    const actual = hashPath(physical);
    if (!actual.narHash.equals(info.narHash) || actual.narSize !== info.narSize) {
      problems.push({
        path,
        kind: 'corrupt',
        message: `path '${path}' was modified: expected hash '${info.narHash.toTyped('nix32')}', got '${actual.narHash.toTyped('nix32')}'`,
      });
    }
  }
  return { checked: paths.length, problems };
}
