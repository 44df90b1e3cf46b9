/**
 * `log -n N` reads the log from its end backwards (newest-log-records.ts):
 * whatever the other filters, it gives exactly the newest N events the
 * whole log's read gives, across the windows it reads in.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';
import { writeSyntheticLog } from './synthetic-log.js';

const events = 3_000;
let home: TestHome;

async function logJson(...argv: string[]): Promise<Array<{ seq: number }>> {
  const result = await home.run('log', '--json', ...argv);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Array<{ seq: number }>;
}

describe(`log -n on a ${events}-event log`, () => {
  beforeAll(async () => {
    home = makeTestHome();
    await writeSyntheticLog(join(home.dir, 'home', 'db'), { events, packages: 50, stream: 'profile' });
  }, 120_000);

  afterAll(() => home?.cleanup());

  it.each([
    [['-n', '5']],
    [['-n', '300', '--user', 'bob']],
    [['-n', '2', '--type', 'generationswitched', '--until', '1500']],
    [['-n', '70', '--type', 'PackagesRemoved', '--user', 'carol']],
    [['-n', '5000']],
    [['-n', '3', '--reverse']],
  ])('log %j gives the newest events of the whole read', async (argv) => {
    const count = Number(argv[1]);
    const filters = argv.slice(2).filter((arg) => arg !== '--reverse');
    const whole = (await logJson(...filters)).slice(-count);
    if (argv.includes('--reverse')) whole.reverse();
    const newest = await logJson(...argv);
    expect(newest).toEqual(whole);
    expect(newest.length).toBe(Math.min(count, (await logJson(...filters)).length));
  });

  it('log -n 0 gives nothing', async () => {
    expect(await logJson('-n', '0')).toEqual([]);
  });
});
