// `npm run build`: the CLI as one CommonJS bundle and the library as one ES
// module, both for Node 20.
//
// The CLI bundle inlines every dependency, LevelDB's JavaScript included:
// Node loads one file several times faster than the ~110 modules and
// CommonJS files it replaces, and every command pays that at start-up.
// Only classic-level's native binding stays outside; its loader finds the
// compiled addon relative to its own package directory.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const nativeBinding = {
  name: 'classic-level-native-binding',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^\.\/binding$/ }, ({ importer }) => (importer.includes('/node_modules/classic-level/') ? { path: 'classic-level/binding.js', external: true } : undefined));
  },
};

const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };

rmSync('dist', { recursive: true, force: true });
await Promise.all([
  // Whitespace and syntax only: names stay readable in the stack `--debug` prints.
  build({ ...common, entryPoints: ['src/cli/main.ts'], format: 'cjs', minifyWhitespace: true, minifySyntax: true, plugins: [nativeBinding], outfile: 'dist/cli.cjs' }),
  build({ ...common, entryPoints: ['src/index.ts'], format: 'esm', packages: 'external', outfile: 'dist/index.js' }),
]);
