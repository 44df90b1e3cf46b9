/**
 * A bundle whose profile narinfo lost its References line (found by the
 * bundle fuzzer): the path's content address no longer gives its name, so
 * the import is refused before anything is fetched, instead of registering
 * the profile path with no references.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { catalogPath, inProcessCli, ok } from './cli-runners.js';
import { readLog } from './home-inspection.js';
import { makeScratch } from './scratch.js';
import type { Scratch } from './scratch.js';

let scratch: Scratch;
afterEach(() => scratch?.cleanup());

it('refuses a narinfo whose content address does not give its path with its references, exit 4, home unchanged', async () => {
  scratch = makeScratch('narinfo-refs');
  const chroot = (name: string) => ['--store-dir', '/nix/store', '--store-root', join(scratch.dir, name, 'root')];
  const exporter = inProcessCli(join(scratch.dir, 'ex'), { globalArgs: chroot('ex') });
  await ok(exporter, 'profile', 'install', `${catalogPath}#hello`, `${catalogPath}#greet`);
  const bundle = join(scratch.dir, 'bundle');
  await ok(exporter, 'export', '--to', bundle, '--with-store');
  const narinfo = readdirSync(join(bundle, 'cache'))
    .filter((name) => name.endsWith('.narinfo'))
    .map((name) => join(bundle, 'cache', name))
    .find((path) => /-profile\n/.test(readFileSync(path, 'utf8'))) as string;
  writeFileSync(narinfo, readFileSync(narinfo, 'utf8').replace(/^References:.*\n/m, ''));
  const importer = inProcessCli(join(scratch.dir, 'im'), { globalArgs: chroot('im') });
  const result = await importer('import', bundle);
  expect(result.code).toBe(4);
  expect(result.stderr).toMatch(/^genledger: .*content address.*does not give that path\nhint: /);
  expect(await readLog(importer)).toEqual([]);
  expect(existsSync(join(scratch.dir, 'im', 'home')), 'the refused first command leaves no home').toBe(false);
  expect(existsSync(join(scratch.dir, 'im', 'root', 'nix', 'store'))).toBe(false);
});
