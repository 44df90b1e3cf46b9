/**
 * `blame` and `log --package` on a large log answer from the package index:
 * the first answer builds it, later ones read it, and every answer agrees
 * with the others. How long they take is measured by `npm run bench`
 * (case `blame`), not here.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';
import { writeSyntheticLog } from './synthetic-log.js';

const events = 20_000;
const packages = 500;

let home: TestHome;

async function answer(...argv: string[]): Promise<string> {
  const result = await home.run(...argv);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

describe(`blame and log --package on a ${events}-event log`, () => {
  beforeAll(async () => {
    home = makeTestHome();
    await writeSyntheticLog(join(home.dir, 'home', 'db'), { events, packages, stream: 'profile' });
  }, 600_000);

  afterAll(() => home?.cleanup());

  it('answers blame and log --package alike before and after the index is built', async () => {
    const report = JSON.parse(await answer('blame', 'pkg7', '--json'));
    expect(report.history.length).toBeGreaterThan(events / packages / 2);
    expect(JSON.parse(await answer('blame', 'pkg7', '--json'))).toEqual(report);
    expect(await answer('blame', 'pkg123')).toContain('pkg123');
    const log = JSON.parse(await answer('log', '--package', 'pkg7', '--json'));
    expect(log).toHaveLength(new Set(report.history.map((entry: { seq: number }) => entry.seq)).size);
    expect(await answer('log', '--package', 'pkg123')).toContain('pkg123');
  }, 600_000);
});
