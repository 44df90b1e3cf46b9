/**
 * Flake installables on the embedded store, which has no evaluator: the
 * CLI refuses them (exit 1, GENLEDGER_FLAKES_NEED_NIX, hint `use --store
 * nix`) and records nothing, while a catalog file before `#` and a
 * directory without `#` keep meaning what they meant before flakes.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loggedEvents, makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

const catalog = resolve('examples/catalog.json');

describe('flake installables on the embedded store', () => {
  let home: TestHome;
  let dir: string;

  afterEach(() => {
    home?.cleanup();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  function flakeDirectory(): string {
    dir = mkdtempSync(join(tmpdir(), 'genledger-flake-cli-'));
    const flake = join(dir, 'flake');
    mkdirSync(join(flake, 'bin'), { recursive: true });
    writeFileSync(join(flake, 'flake.nix'), '{ outputs = { self }: { }; }\n');
    writeFileSync(join(flake, 'bin', 'tool'), '#!/bin/sh\n');
    return flake;
  }

  it.each(['DIR#hello', 'path:DIR#hello', 'path:DIR', 'nixpkgs#hello', 'github:owner/repo#x', 'git+file:///srv/repo#x'])(
    'refuses %s (DIR a flake directory) with GENLEDGER_FLAKES_NEED_NIX and records nothing',
    async (installable) => {
      home = makeTestHome();
      const text = installable.replace('DIR', flakeDirectory());
      const result = await home.run('--json', 'profile', 'install', `${catalog}#hello`, text);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stderr).error).toMatchObject({ code: 'GENLEDGER_FLAKES_NEED_NIX', message: `'${text}' is a flake installable, which only Nix can evaluate and build`, hint: 'use --store nix' });
      expect(await loggedEvents(home)).toEqual([]);
      expect(existsSync(join(home.dir, 'home')), 'a refused first command leaves no home').toBe(false);
    },
  );

  it('still reads a regular file before # as a catalog, and adds a directory named without # to the store', async () => {
    home = makeTestHome();
    const flake = flakeDirectory();
    expect((await home.run('profile', 'install', `${catalog}#hello`, `path:${catalog}#greet`, flake)).code).toBe(0);
    const listed = (await home.run('profile', 'list')).stdout;
    expect(listed).toContain('hello');
    expect(listed).toContain('greet');
    expect(listed).toMatch(/-flake/);
  });
});
