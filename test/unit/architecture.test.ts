/**
 * The shape of the code base, enforced: the pure core (domain, projection)
 * reaches no file system, clock source, process or database, however
 * indirectly; only the ledger loads LevelDB; and no module imports itself
 * back through others (no import circles, type-only and lazy imports
 * included: a circle of types still ties the files' meanings together).
 * The app layer is grouped by capability: every use case lives in the
 * folder of its area, none at the top of app/.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = resolve('src');
const importPattern = /^(?:import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm;

interface Import {
  readonly specifier: string;
  readonly typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(importPattern)].map((match) => ({ specifier: match[2] as string, typeOnly: match[1] !== undefined }));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

function resolveImport(from: string, specifier: string): string {
  return resolve(dirname(from), specifier).replace(/\.js$/, '.ts');
}

/** Every module the file loads at run time (type-only imports excluded), transitively, with the packages it names. */
function runtimeClosure(file: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [file];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (files.has(next)) continue;
    files.add(next);
    for (const { specifier, typeOnly } of importsOf(next)) {
      if (typeOnly) continue;
      if (specifier.startsWith('.')) pending.push(resolveImport(next, specifier));
      else packages.add(specifier);
    }
  }
  return { files, packages };
}

const forbiddenInCore = ['node:fs', 'node:os', 'node:child_process', 'node:process', 'level', 'classic-level', 'node:net'];
const allowedCorePackages = new Set(['immer', 'fast-json-patch', 'node:crypto', 'node:path']);

describe('the pure core', () => {
  const core = [...sourceFiles(join(src, 'domain')), ...sourceFiles(join(src, 'projection'))];

  it.each(core.map((file) => [relative(src, file), file]))('%s reaches no disk, process or database', (_name, file) => {
    const { files, packages } = runtimeClosure(file);
    expect([...packages].filter((name) => forbiddenInCore.includes(name) || !allowedCorePackages.has(name))).toEqual([]);
    const shellModules = [...files].map((f) => relative(src, f)).filter((f) => /^(app|cli|ledger|fsx)\//.test(f));
    expect(shellModules).toEqual([]);
  });
});

describe('the ledger', () => {
  it('is the only layer that loads LevelDB', () => {
    const loaders = sourceFiles(src).filter((file) => importsOf(file).some(({ specifier, typeOnly }) => !typeOnly && ['level', 'classic-level', 'abstract-level'].includes(specifier)));
    expect(loaders.map((file) => relative(src, file)).filter((file) => !file.startsWith('ledger/'))).toEqual([]);
  });
});

describe('the fleet adapter', () => {
  it('is the only layer that loads PostgreSQL\'s client', () => {
    const loaders = sourceFiles(src).filter((file) => importsOf(file).some(({ specifier }) => specifier === 'pg'));
    expect(loaders.map((file) => relative(src, file)).filter((file) => !file.startsWith('fleet/'))).toEqual([]);
  });
});

/** Every relative module the file names: static, type-only, lazy `import('…')` and `import('…').Type`. */
function namedModules(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const lazy = [...text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)].map((match) => match[1] as string);
  return [...importsOf(file).map(({ specifier }) => specifier), ...lazy].filter((specifier) => specifier.startsWith('.')).map((specifier) => resolveImport(file, specifier));
}

/** The strongly connected groups of more than one file, or of one file that imports itself (Tarjan). */
function importCircles(files: readonly string[]): string[][] {
  const edges = new Map(files.map((file) => [file, namedModules(file)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const circles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file) as number);
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (!edges.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) as number, low.get(next) as number));
      } else if (stack.includes(next)) low.set(file, Math.min(low.get(file) as number, index.get(next) as number));
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    for (let top = stack.pop(); top !== undefined; top = top === file ? undefined : stack.pop()) group.push(top);
    if (group.length > 1 || (edges.get(file) ?? []).includes(file)) circles.push(group.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return circles;
}

describe('the imports', () => {
  it('form no circle', () => {
    const files = [...sourceFiles(src), ...sourceFiles(resolve('migrations'))];
    expect(importCircles(files).map((group) => group.map((file) => relative(resolve('.'), file)))).toEqual([]);
  });
});

describe('the app layer', () => {
  const capabilities = ['bundle', 'fleet', 'gc', 'home', 'nix-import', 'profile', 'provenance', 'session', 'store', 'system', 'verify'];

  it('holds its files in capability folders only', () => {
    const entries = readdirSync(join(src, 'app'), { withFileTypes: true });
    expect(entries.filter((entry) => !entry.isDirectory()).map((entry) => entry.name)).toEqual([]);
    expect(entries.map((entry) => entry.name).sort()).toEqual(capabilities);
  });
});
