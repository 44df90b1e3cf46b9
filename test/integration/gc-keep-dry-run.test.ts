/**
 * `gc --keep N --keep-since D --dry-run` on the embedded store: the preview
 * names the generations the policy would delete in every profile (the
 * system profile included) and the collection that would follow, writes
 * nothing, and the real `gc --keep` then does exactly what it said.
 */
import { cpSync, lstatSync, readdirSync, readlinkSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

const catalog = 'examples/catalog.json';
let home: TestHome;

afterEach(() => home?.cleanup());

async function ok(...argv: string[]): Promise<string> {
  const result = await home.run(...argv);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

const json = async (...argv: string[]) => JSON.parse(await ok(...argv, '--json'));

async function fourGenerations(...profile: string[]): Promise<void> {
  for (const attr of ['hello', 'greet', 'figlet-lite']) await ok(...profile, 'profile', 'install', `${catalog}#${attr}`);
  await ok(...profile, 'profile', 'remove', 'greet');
}

/** System generations 1 and 2 (old), 3 (booted, running and the boot default). */
async function systemGenerations(): Promise<void> {
  for (const name of ['gen-x', 'gen-y']) {
    const dir = join(home.dir, name);
    cpSync('examples/system/gen-a', dir, { recursive: true });
    writeFileSync(join(dir, 'nixos-version'), `24.05.${name}\n`);
    await ok('system', 'switch', dir);
  }
  await ok('system', 'switch', 'examples/system/gen-b');
  await ok('system', 'reboot');
}

/** Every entry of the home but the ledger's database, with link targets and sizes: what a preview must leave as it is. */
function fileTree(): string[] {
  const top = join(home.dir, 'home');
  const lines: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      const at = relative(top, path);
      if (at === 'db') continue;
      if (stat.isSymbolicLink()) lines.push(`${at} -> ${readlinkSync(path)}`);
      else if (stat.isDirectory()) {
        lines.push(`${at}/`);
        walk(path);
      } else lines.push(`${at} ${stat.size}`);
    }
  };
  walk(top);
  return lines;
}

describe('gc --keep --dry-run', () => {
  it('previews the generations and the collection of every profile, writes nothing, and the real run does exactly that', async () => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    home = makeTestHome({ env });
    env.GENLEDGER_ACTIVATION_LOG = join(home.dir, 'activation.log');
    await fourGenerations();
    await fourGenerations('-p', 'work');
    await systemGenerations();
    // A stale indirect root: its link is gone, and only a real collection removes its auto link.
    const result = join(home.dir, 'result');
    symlinkSync(JSON.parse(await ok('profile', 'list', '--json')).elements[0].storePaths[0], result);
    await ok('root', 'add', result);
    unlinkSync(result);
    expect(await ok('gc', '--print-dead')).toBe('');

    const events = (await json('log')).length;
    const tree = fileTree();
    const preview = await json('gc', '--keep', '1', '--keep-since', '1s', '--dry-run');
    expect(preview.dryRun).toBe(true);
    expect(preview.generationsDeleted).toEqual([
      { profile: 'profile', deleted: [1, 2, 3] },
      { profile: 'work', deleted: [1, 2, 3] },
      { profile: 'system', deleted: [1, 2] },
    ]);
    expect(preview.deleted.length).toBeGreaterThan(0);
    expect(preview.bytesFreed).toBeGreaterThan(0);
    const text = await home.run('gc', '--keep', '1', '--keep-since', '1s', '--dry-run');
    expect(text.code).toBe(0);
    expect(text.stderr).toContain("would delete generations 1, 2, 3 of profile 'profile'\n");
    expect(text.stderr).toContain("would delete generations 1, 2 of profile 'system'\n");
    expect(text.stdout.trim().split('\n').sort()).toEqual([...preview.deleted].sort().map((path: string) => `would delete '${path}'`));
    expect(fileTree()).toEqual(tree);
    expect((await json('log')).length).toBe(events);
    expect(await ok('gc', '--print-dead')).toBe('');

    const real = await json('gc', '--keep', '1', '--keep-since', '1s');
    expect(real.generationsDeleted).toEqual(preview.generationsDeleted);
    expect([...real.deleted].sort()).toEqual([...preview.deleted].sort());
    expect(real.bytesFreed).toBe(preview.bytesFreed);
  });

  it('previews nothing to delete when the policy keeps everything, and keeps --max-freed as the dry run reads it', async () => {
    home = makeTestHome();
    await fourGenerations();
    const keepAll = await json('gc', '--keep', '10', '--dry-run');
    expect(keepAll).toMatchObject({ dryRun: true, deleted: [], bytesFreed: 0, generationsDeleted: [{ profile: 'profile', deleted: [] }] });
    const all = await json('gc', '--keep', '1', '--dry-run');
    const capped = await json('gc', '--keep', '1', '--dry-run', '--max-freed', '1');
    expect(capped.deleted.length).toBe(1);
    expect(all.deleted).toContain(capped.deleted[0]);
  });
});
