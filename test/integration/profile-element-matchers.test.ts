/**
 * `profile remove` and `profile upgrade` name elements as Nix 2.8 does: by
 * index, store path (or a link into the store) or a regular expression over
 * the attribute path, and genledger's element names still work.
 */
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

let home: TestHome;
afterEach(() => home?.cleanup());

async function names(): Promise<string[]> {
  return JSON.parse((await home.run('profile', 'list', '--json')).stdout).elements.map((e: { name: string }) => e.name);
}

async function installThree(): Promise<void> {
  home = makeTestHome();
  cpSync('examples/pkgs', join(home.dir, 'pkgs'), { recursive: true });
  writeFileSync(join(home.dir, 'catalog.json'), readFileSync('examples/catalog.json'));
  const installed = await home.run('profile', 'install', `${home.dir}/catalog.json#hello`, `${home.dir}/catalog.json#greet`, 'examples/pkgs/figlet-lite-0.1');
  expect(installed.code).toBe(0);
  expect(await names()).toEqual(['hello', 'greet', 'figlet-lite']);
}

describe('profile remove by index, link and pattern', () => {
  it('removes the element at the index profile list shows', async () => {
    await installThree();
    expect((await home.run('profile', 'list')).stdout.split('\n')[1]).toMatch(/^1 greet /);
    expect((await home.run('profile', 'remove', '1')).code).toBe(0);
    expect(await names()).toEqual(['hello', 'figlet-lite']);
  });

  it('refuses an index no element has, saying so, and changes nothing', async () => {
    await installThree();
    const result = await home.run('profile', 'remove', '3');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("'3' is not a valid index");
    expect(await names()).toEqual(['hello', 'greet', 'figlet-lite']);
  });

  it('removes the element a link into the store (through a chain of links) leads to', async () => {
    await installThree();
    const [, greet] = JSON.parse((await home.run('profile', 'list', '--json')).stdout).elements;
    symlinkSync(`${greet.storePaths[0]}/bin`, join(home.dir, 'result-bin'));
    symlinkSync('result-bin', join(home.dir, 'result'));
    expect((await home.run('profile', 'remove', join(home.dir, 'result'))).code).toBe(0);
    expect(await names()).toEqual(['hello', 'figlet-lite']);
  });

  it('still removes by name, store path and a case-insensitive regular expression', async () => {
    await installThree();
    expect((await home.run('profile', 'remove', 'FIGLET.*')).code).toBe(0);
    expect((await home.run('profile', 'remove', 'hello')).code).toBe(0);
    expect(await names()).toEqual(['greet']);
  });
});

describe("profile upgrade '.*' as in Nix 2.8", () => {
  it('upgrades every element with a catalog source and leaves store-path elements alone', async () => {
    await installThree();
    writeFileSync(join(home.dir, 'catalog.json'), readFileSync('examples/catalog-next.json'));
    const upgrade = await home.run('profile', 'upgrade', '.*');
    expect(upgrade.code).toBe(0);
    const elements = JSON.parse((await home.run('profile', 'list', '--json')).stdout).elements;
    expect(elements.map((e: { storePaths: string[] }) => e.storePaths[0]?.replace(/^.*\/[a-z0-9]{32}-/, ''))).toEqual(['hello-1.1', 'greet-2.1', 'figlet-lite-0.1']);
  });

  it('upgrades by index, and refuses an element installed from a store path', async () => {
    await installThree();
    writeFileSync(join(home.dir, 'catalog.json'), readFileSync('examples/catalog-next.json'));
    const refusedUpgrade = await home.run('profile', 'upgrade', '2');
    expect(refusedUpgrade.code).toBe(1);
    expect(refusedUpgrade.stderr).toContain('nothing to upgrade it from');
    expect((await home.run('profile', 'upgrade', '0')).code).toBe(0);
    const [hello] = JSON.parse((await home.run('profile', 'list', '--json')).stdout).elements;
    expect(hello.storePaths[0]).toMatch(/-hello-1\.1$/);
  });

  it('refuses a pattern that matches nothing', async () => {
    await installThree();
    const result = await home.run('profile', 'upgrade', 'vim.*');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no installed package matches 'vim.*'");
  });
});
