import { afterEach, describe, expect, it } from 'vitest';
import { makeTestHome, type TestHome } from './test-world.js';

const catalog = 'examples/catalog.json';
let home: TestHome;
afterEach(() => home.cleanup());

const seqs = (text: string): number[] => JSON.parse(text).map((event: { seq: number }) => event.seq);

describe('log filters through the CLI', () => {
  it('takes --type in any case and lists the types on an unknown one (exit 2)', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    await home.run('profile', 'remove', 'hello');
    const removals = JSON.parse((await home.run('log', '--type', 'packagesremoved', '--json')).stdout);
    expect(removals.map((event: { type: string }) => event.type)).toEqual(['PackagesRemoved']);
    const bad = await home.run('log', '--type', 'installed');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("genledger: --type 'installed' is not an event type");
    expect(bad.stderr).toMatch(/hint: the types: .*PackagesInstalled, PackagesRemoved.*SystemActivated/);
  });

  it('-n keeps the newest N, --reverse puts the newest first', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    await home.run('profile', 'install', `${catalog}#greet`);
    await home.run('profile', 'remove', 'hello');
    expect(seqs((await home.run('log', '--json')).stdout)).toEqual([1, 2, 3, 4]);
    expect(seqs((await home.run('log', '-n', '2', '--json')).stdout)).toEqual([3, 4]);
    expect(seqs((await home.run('log', '-n', '2', '--reverse', '--json')).stdout)).toEqual([4, 3]);
    expect(seqs((await home.run('log', '-n', '0', '--json')).stdout)).toEqual([]);
    expect((await home.run('log', '-n', 'two')).code).toBe(2);
  });

  it('reads relative times for --since and --until (the test clock moves a minute per reading)', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    await home.run('profile', 'install', `${catalog}#greet`);
    const all = JSON.parse((await home.run('log', '--json')).stdout) as Array<{ seq: number; at: string }>;
    expect(seqs((await home.run('log', '--since', '2h', '--json')).stdout)).toEqual(all.map((event) => event.seq));
    expect(seqs((await home.run('log', '--since', '1s', '--json')).stdout)).toEqual([]);
    expect(seqs((await home.run('log', '--until', '1d', '--json')).stdout)).toEqual([]);
    expect(seqs((await home.run('log', '--until', '1s', '--json')).stdout)).toEqual(all.map((event) => event.seq));
  });

  it('log -p system is a read of the system stream, not a refusal', async () => {
    home = makeTestHome();
    await home.run('profile', 'install', `${catalog}#hello`);
    const system = await home.run('log', '-p', 'system', '--json');
    expect(system.code).toBe(0);
    expect(JSON.parse(system.stdout)).toEqual([]);
  });
});
