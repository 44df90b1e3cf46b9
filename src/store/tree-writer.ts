/**
 * Writes an in-memory NarNode tree to disk in canonical store form (files
 * 0444/0555, directories 0555, every mtime 1): how projections materialise
 * profile store paths whose hash they computed from the model.
 */
import { chmodSync, lutimesSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import type { FaultInjector } from '../fault-injection.js';
import { noFaults } from '../fault-injection.js';
import type { NarNode } from './nar-node.js';

export function writeTree(node: NarNode, destination: string, faults: FaultInjector = noFaults): void {
  faults.reach('during-tree-build');
  switch (node.type) {
    case 'regular':
      writeFileSync(destination, node.contents, { flag: 'wx', mode: node.executable ? 0o555 : 0o444 });
      break;
    case 'symlink':
      symlinkSync(node.target, destination);
      break;
    case 'directory':
      mkdirSync(destination, { mode: 0o755 });
      for (const [name, child] of node.entries) writeTree(child, `${destination}/${name}`, faults);
      chmodSync(destination, 0o555);
      break;
  }
  lutimesSync(destination, 1, 1);
}
