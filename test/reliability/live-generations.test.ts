/**
 * verify's checks of what live generations need: their closures present in
 * the store (`closure-missing`), and no temporary link a killed command left
 * (`temporary-link`), which replay and the next command remove.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogPath, inProcessCli, ok, spawnCli } from './cli-runners.js';
import { makeScratch, removeWritable } from './scratch.js';
import type { Scratch } from './scratch.js';

let scratch: Scratch;
afterEach(() => scratch?.cleanup());

interface Problem {
  kind: string;
  stream?: string;
  path?: string;
  generation?: number;
  message: string;
}

async function verifyJson(home: string): Promise<{ code: number; problems: Problem[] }> {
  const result = await inProcessCli(home)('verify', '--json');
  return { code: result.code, problems: (JSON.parse(result.stdout) as { problems: Problem[] }).problems };
}

function leftovers(home: string): string[] {
  return ['profiles', 'gcroots/auto', 'run'].flatMap((dir) => (existsSync(join(home, dir)) ? readdirSync(join(home, dir)) : []).filter((name) => name.includes('.tmp-') || /^\.\d+_/.test(name)).map((name) => `${dir}/${name}`));
}

describe('verify and live generations', () => {
  it("names a live generation's package deleted from disk as closure-missing, exit 4", async () => {
    scratch = makeScratch('closure');
    const home = join(scratch.dir, 'home');
    const cli = inProcessCli(home);
    await ok(cli, 'profile', 'install', `${catalogPath}#hello`, `${catalogPath}#greet`);
    const greet = JSON.parse((await ok(cli, 'profile', 'list', '--json')).stdout).elements.find((e: { name?: string; attrPath?: string }) => `${e.name ?? e.attrPath}`.includes('greet')).storePaths[0] as string;
    removeWritable(greet);
    const { code, problems } = await verifyJson(home);
    expect(code).toBe(4);
    const missing = problems.filter((p) => p.kind === 'closure-missing');
    expect(missing).toEqual([expect.objectContaining({ stream: 'profile', generation: 1, path: greet })]);
    expect(missing[0]?.message).toMatch(/generation 1 of profile 'profile' needs .*greet.*substituter/);
  });

  it('a deleted profile store path is a projection problem (replay rebuilds it), not closure-missing', async () => {
    scratch = makeScratch('closure-profile');
    const home = join(scratch.dir, 'home');
    const cli = inProcessCli(home);
    await ok(cli, 'profile', 'install', `${catalogPath}#hello`);
    const profilePath = readdirSync(join(home, 'store')).find((name) => name.endsWith('-profile')) as string;
    removeWritable(join(home, 'store', profilePath));
    const { problems } = await verifyJson(home);
    expect(problems.map((p) => p.kind)).not.toContain('closure-missing');
    expect(problems.map((p) => p.kind)).toContain('projection');
    await ok(cli, 'replay');
    expect((await verifyJson(home)).code).toBe(0);
  });

  it.each([1, 2, 3, 4])('a system switch killed before the rename of its link #%i leaves a temporary link verify names and replay removes', async (n) => {
    scratch = makeScratch('temp-link');
    const home = join(scratch.dir, 'home');
    const killed = await spawnCli(home, ['system', 'switch', 'examples/system/gen-a', '--no-activate'], { fault: `between-temp-link-and-rename@${n}` });
    expect(killed.signal).toBe('SIGKILL');
    const [left] = leftovers(home);
    expect(left).toBeDefined();
    const { code, problems } = await verifyJson(home);
    expect(code).toBe(4);
    expect(problems.filter((p) => p.kind === 'temporary-link')).toEqual([expect.objectContaining({ path: join(home, left as string) })]);
    await ok(inProcessCli(home), 'replay');
    expect(leftovers(home)).toEqual([]);
    expect((await verifyJson(home)).code).toBe(0);
  });

  it('the next command after a killed system switch removes its temporary link', async () => {
    scratch = makeScratch('temp-link-next');
    const home = join(scratch.dir, 'home');
    expect((await spawnCli(home, ['system', 'switch', 'examples/system/gen-a', '--no-activate'], { fault: 'between-temp-link-and-rename' })).signal).toBe('SIGKILL');
    expect(leftovers(home)).toHaveLength(1);
    await ok(inProcessCli(home), 'profile', 'list');
    expect(leftovers(home)).toEqual([]);
    expect((await verifyJson(home)).code).toBe(0);
  });

  it('a temporary GC root is reported once however many profiles plan its removal', async () => {
    scratch = makeScratch('temp-root');
    const home = join(scratch.dir, 'home');
    const cli = inProcessCli(home);
    await ok(cli, 'profile', 'install', `${catalogPath}#hello`);
    await ok(cli, '-p', 'other', 'profile', 'install', `${catalogPath}#greet`);
    expect((await spawnCli(home, ['profile', 'install', `${catalogPath}#greet`], { fault: 'between-temp-link-and-rename@2' })).signal).toBe('SIGKILL');
    const { problems } = await verifyJson(home);
    const temporary = problems.filter((p) => p.kind === 'temporary-link');
    expect(temporary).toHaveLength(1);
    expect(temporary[0]?.path).toMatch(/gcroots\/auto\/[0-9a-z]{32}\.tmp-/);
  });
});
