/** A `.sql` file imported as its text (esbuild's text loader; vitest.config.ts does the same). */
declare module '*.sql' {
  const text: string;
  export default text;
}
