/**
 * The complete tree of a profile store path: the packages' symlink tree plus
 * the `manifest.json` file beside it (a regular, non-executable file holding
 * the manifest text without a trailing newline), ready to be NAR-serialised.
 * buildenv never links a package's own `manifest.json`, so the name is free.
 */

import type { NarDirectory, NarNode } from '../store/nar-node.js';

export const MANIFEST_FILE_NAME = 'manifest.json';

export function profileTree(packagesTree: NarDirectory, manifestJsonText: string): NarDirectory {
  const entries = new Map<string, NarNode>(packagesTree.entries);
  entries.set(MANIFEST_FILE_NAME, {
    type: 'regular',
    executable: false,
    contents: new TextEncoder().encode(manifestJsonText),
  });
  return { type: 'directory', entries };
}
