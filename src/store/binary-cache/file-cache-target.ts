/**
 * A `file://` cache as an upload target: files land through CacheFiles
 * (temporary name, then rename), and NARs are written by the same writer
 * as `export --with-store`.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PathInfo } from '../path-info.js';
import { CacheFiles } from './cache-files.js';
import type { CacheTarget } from './cache-target.js';
import { writeNarFile } from './nar-file-writer.js';
import type { WrittenNar } from './nar-file-writer.js';

export function fileCacheTarget(url: string, dir: string, pid: number): CacheTarget {
  const files = new CacheFiles(dir, pid);
  mkdirSync(join(dir, 'nar'), { recursive: true });
  return {
    url,
    has: async (relative) => files.has(relative),
    readText: async (relative) => (existsSync(join(dir, relative)) ? readFileSync(join(dir, relative), 'utf8') : null),
    putText: async (relative, text) => files.writeText(relative, text),
    putNar: (info: PathInfo, physicalPath: string): Promise<WrittenNar> => writeNarFile(files, info, physicalPath, 'none'),
    close: async () => undefined,
  };
}
