// genledger-only: moving a profile of 50 packages to another machine.
// `export --with-store` on a home holding it, and `import` of that bundle
// into a fresh home (same --store-dir, its own store root), which checks
// the bundle, restores every store path from its cache and projects.
import { join } from 'node:path';
import { SMALL_PROFILE } from '../fixtures/index.mjs';
import { homeAt, restoreHome } from '../lib/genledger.mjs';
import { removeTree } from '../lib/scratch.mjs';

// The profile's packages and the profile store path itself.
const CLOSURE = SMALL_PROFILE + 1;

function expectCount(what, actual, wanted) {
  if (actual !== wanted) throw new Error(`bench: ${what} is ${actual}, not ${wanted}`);
}

export const bundleCases = [
  {
    id: 'export',
    title: `export --with-store of a profile of ${SMALL_PROFILE} packages`,
    async sides(fixtures, context) {
      const template = await fixtures.glSmall();
      let home;
      let dir;
      return [
        {
          prepare: () => {
            home = restoreHome(template);
            dir = context.runDir('export-bundle');
            return context.genledgerSpec(home, ['--json', 'export', '--to', join(dir, 'bundle'), '--with-store']);
          },
          finish: (result) => {
            expectCount('the number of store paths exported', JSON.parse(result.stdout).store.written, CLOSURE);
            removeTree(home.dir);
            removeTree(dir);
          },
        },
      ];
    },
  },
  {
    id: 'import',
    title: 'import that bundle into a fresh home',
    async sides(fixtures, context) {
      const bundle = await fixtures.glSmallBundle();
      let dir;
      return [
        {
          prepare: () => {
            dir = context.runDir('import-home');
            return context.genledgerSpec(homeAt(dir), ['--json', 'import', bundle]);
          },
          finish: (result) => {
            const report = JSON.parse(result.stdout);
            expectCount('the number of store paths restored', report.substituted.length, CLOSURE);
            expectCount('the generation imported', report.streams[0]?.generation, 1);
            removeTree(dir);
          },
        },
      ];
    },
  },
];
