import { afterEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

const catalog = 'examples/catalog.json';
const next = 'examples/catalog-next.json';
let home: TestHome;

afterEach(() => home?.cleanup());

const json = async (...argv: string[]) => JSON.parse((await home.run(...argv, '--json')).stdout);

/** Generation 1: hello 1.0 and greet; 2: greet; 3: greet and hello 1.1. */
async function upgradeByHand(): Promise<void> {
  home = makeTestHome();
  expect((await home.run('profile', 'install', `${catalog}#hello`, `${catalog}#greet`)).code).toBe(0);
  expect((await home.run('profile', 'remove', 'hello')).code).toBe(0);
  expect((await home.run('profile', 'install', `${next}#hello`)).code).toBe(0);
}

describe('profile diff: closure changes', () => {
  it('shows an upgrade by version, direct, with the closure size of each side', async () => {
    await upgradeByHand();
    const diff = await json('profile', 'diff', '1', '3');
    expect(diff).toMatchObject({ from: 1, to: 3 });
    expect(diff.closure.upgraded).toEqual([{ name: 'hello', from: ['1.0'], to: ['1.1'], direct: true }]);
    expect(diff.closure.added).toEqual([]);
    expect(diff.closure.removed).toEqual([]);
    expect(diff.closure.size.exact).toBe(true);
    expect(diff.closure.size.from).toBeGreaterThan(0);
    expect(diff.closure.size.delta).toBe(diff.closure.size.to - diff.closure.size.from);
    const text = await home.run('profile', 'diff', '1', '3');
    expect(text.stdout).toMatch(/^upgraded +direct +hello 1\.0 -> 1\.1$/m);
    expect(text.stdout).toMatch(/^closure size: .+ -> .+ \([+-].+\)$/m);
  });

  it('takes current and previous, and one argument as against current', async () => {
    await upgradeByHand();
    expect(await json('profile', 'diff', 'previous', 'current')).toMatchObject({ from: 2, to: 3, closure: { added: [{ name: 'hello', to: ['1.1'] }] } });
    expect(await json('profile', 'diff', '1')).toMatchObject({ from: 1, to: 3 });
    expect((await json('profile', 'diff', '0')).closure.added.map((c: { name: string }) => c.name)).toEqual(['greet', 'hello']);
    const reversed = await json('profile', 'diff', '3', '1');
    expect(reversed.closure.downgraded).toEqual([{ name: 'hello', from: ['1.1'], to: ['1.0'], direct: true }]);
  });

  it('refuses previous when there is none, and a bad generation is a usage error', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    await home.run('profile', 'rollback');
    expect((await home.run('profile', 'diff', 'previous')).code).toBe(1);
    expect((await home.run('profile', 'diff', 'latest')).code).toBe(2);
  });
});

describe('what a mutating command changed', () => {
  it('prints installed, removed and upgraded packages with versions and the size change, unless --quiet', async () => {
    home = makeTestHome();
    const install = await home.run('profile', 'install', `${catalog}#hello`, `${catalog}#greet`);
    expect(install.stderr).toMatch(/^ {2}installed greet 2\.1$/m);
    expect(install.stderr).toMatch(/^ {2}installed hello 1\.0$/m);
    expect(install.stderr).toMatch(/^ {2}closure size 0 B -> .+ \(\+.+\)$/m);
    const remove = await home.run('profile', 'remove', 'hello');
    expect(remove.stderr).toMatch(/^ {2}removed hello 1\.0$/m);
    expect(remove.stderr).toMatch(/^ {2}closure size .+ \(-.+\)$/m);
    expect((await home.run('profile', 'install', '--quiet', `${next}#hello`)).stderr).toBe('');
    const back = await home.run('profile', 'switch-generation', '1');
    expect(back.stderr).toMatch(/^ {2}downgraded hello 1\.1 -> 1\.0$/m);
    expect((await json('profile', 'switch-generation', '3')).changes.upgraded).toEqual([{ name: 'hello', from: ['1.0'], to: ['1.1'], direct: true }]);
  });

  it('prints the same under --dry-run for what it would do, and nothing changes', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`, `${catalog}#greet`);
    const dry = await home.run('profile', 'remove', '--dry-run', '.*');
    expect(dry.stdout).toMatch(/^would remove greet 2\.1$/m);
    expect(dry.stdout).toMatch(/^would remove hello 1\.0$/m);
    expect(dry.stdout).toMatch(/^would change closure size .+ -> 0 B \(-.+\)$/m);
    const planned = await json('profile', 'install', '--dry-run', `${next}#figlet-lite`);
    expect(planned.changes.added).toEqual([{ name: 'figlet-lite', from: [], to: ['0.1'], direct: true }]);
    expect((await json('profile', 'list')).elements.map((e: { name: string }) => e.name)).toEqual(['hello', 'greet']);
  });
});
