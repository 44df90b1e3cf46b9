/**
 * `profile list` on a terminal shows versions and fits its width; `--long`
 * and output that is not a terminal keep the full line with store paths.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

let home: TestHome;
afterEach(() => home?.cleanup());

/** One run with stdout on a terminal `columns` wide. */
async function onTerminal(columns: number, ...argv: string[]): Promise<{ code: number; stdout: string }> {
  return home.runOnTerminal({ stdout: { columns } }, ...argv);
}

describe('profile list on a terminal', () => {
  it('shows index, name, version and origin within 80 columns, and full store paths with --long', async () => {
    home = makeTestHome();
    const deep = join(home.dir, 'a-catalog-directory-with-a-rather-long-name', 'and-another-level-below-it');
    mkdirSync(deep, { recursive: true });
    cpSync('examples/pkgs', join(deep, 'pkgs'), { recursive: true });
    writeFileSync(join(deep, 'catalog.json'), readFileSync('examples/catalog.json'));
    expect((await home.run('profile', 'install', `${deep}/catalog.json#hello`, 'examples/pkgs/greet-2.1')).code).toBe(0);
    expect((await home.run('profile', 'install', '--priority', '3', 'examples/pkgs/figlet-lite-0.1')).code).toBe(0);

    const short = await onTerminal(80, 'profile', 'list');
    expect(short.code).toBe(0);
    const lines = short.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^0 {2}hello {8}1\.0 {2}path:.*…$/);
    expect(lines[1]).toBe('1  greet        2.1  greet-2.1');
    expect(lines[2]).toBe('2  figlet-lite  0.1  (priority 3) figlet-lite-0.1');
    expect(short.stdout).not.toMatch(/[0-9a-z]{32}-/);

    const long = await onTerminal(80, 'profile', 'list', '--long');
    expect(long.stdout).toBe((await home.run('profile', 'list')).stdout);
    expect(long.stdout.split('\n')[1]).toMatch(/^1 greet - - \/.*\/[0-9a-z]{32}-greet-2\.1$/);
  });
});
