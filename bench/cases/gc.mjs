// Garbage collection after the big profile was deleted: 21 packages of
// 2,000 files and the 40,000-entry profile path are dead. Nix collects an
// isolated chroot store holding exactly those (never the real /nix/store).
import { join } from 'node:path';
import { cloneTree, removeTree } from '../lib/scratch.mjs';
import { genledgerSide, sameResult } from './sides.mjs';

export const gcCases = [
  {
    id: 'gc',
    title: 'gc after deleting the big profile',
    target: { ratio: 1.0 },
    async sides(fixtures, context) {
      const nixTemplate = await fixtures.nixGc();
      const deleted = sameResult('the number of store paths deleted');
      let nixRun;
      return [
        genledgerSide(context, await fixtures.glGc(), ['--json', 'gc'], (_home, result) => deleted.record(JSON.parse(result.stdout).deleted.length)),
        {
          prepare: () => {
            nixRun = context.runDir('gc-nix');
            cloneTree(nixTemplate.dir, nixRun, ['root/nix/store']);
            return { file: 'nix-store', args: ['--store', join(nixRun, 'root'), '--gc'], env: context.env };
          },
          finish: (result) => {
            deleted.check(Number(/(\d+) store paths deleted/.exec(result.stdout + result.stderr)?.[1]));
            removeTree(nixRun);
          },
        },
      ];
    },
  },
];
