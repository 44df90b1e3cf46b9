import { defineConfig } from 'vitest/config';

export default defineConfig({
  // migrations/fleet/*.sql are text modules, as esbuild's text loader builds them.
  plugins: [{ name: 'sql-text', transform: (code, id) => (id.endsWith('.sql') ? { code: `export default ${JSON.stringify(code)};`, map: null } : undefined) }],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
