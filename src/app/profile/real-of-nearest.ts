/**
 * The real path of a path that may not exist yet: its nearest existing
 * ancestor resolved through symbolic links, with the part that does not
 * exist appended. Profiles are compared by it, so a link cannot carry a
 * profile into a directory it may not live in.
 */
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';

export function realOfNearest(path: string): string {
  for (let current = path; ; current = dirname(current)) {
    try {
      return `${realpathSync(current)}${path.slice(current.length)}`.replace(/^\/\//, '/');
    } catch {
      if (current === dirname(current)) return path;
    }
  }
}
