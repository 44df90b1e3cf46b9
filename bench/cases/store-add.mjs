// `genledger store add` against `nix-store --add` of the same 2,000-file
// tree, each run on a fresh copy of an initialized store (genledger's home,
// Nix's chroot store), so neither finds the path already there.
import { join } from 'node:path';
import { cloneTree, removeTree } from '../lib/scratch.mjs';
import { genledgerSide, sameResult } from './sides.mjs';

export const storeAddCases = [
  {
    id: 'store-add',
    title: 'store add, 2,000-file tree',
    target: { ratio: 1.0 },
    async sides(fixtures, context) {
      const tree = await fixtures.tree();
      const nixTemplate = await fixtures.nixEmpty();
      const path = sameResult('the added store path');
      let nixRun;
      return [
        genledgerSide(context, await fixtures.glEmpty(), ['store', 'add', tree], (_home, result) => path.record(result.stdout.trim())),
        {
          prepare: () => {
            nixRun = context.runDir('store-add-nix');
            cloneTree(nixTemplate.dir, nixRun, ['root/nix/store']);
            return { file: 'nix-store', args: ['--store', join(nixRun, 'root'), '--add', tree], env: context.env };
          },
          finish: (result) => {
            path.check(result.stdout.trim());
            removeTree(nixRun);
          },
        },
      ];
    },
  },
];
