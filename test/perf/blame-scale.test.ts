/**
 * `blame` and `log --package` on a large log answer from the package index,
 * not by reading the log: once the index has caught up, an answer takes
 * well under a second however long the log is. The log size defaults to
 * 20,000 events to keep the suite quick; GENLEDGER_BLAME_EVENTS=100000
 * runs the measurement the README reports. Times are printed.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestHome } from '../integration/test-world.js';
import type { TestHome } from '../integration/test-world.js';
import { writeSyntheticLog } from './synthetic-log.js';

const events = Number(process.env.GENLEDGER_BLAME_EVENTS ?? 20_000);
const packages = 500;

let home: TestHome;

async function timed(...argv: string[]): Promise<{ ms: number; stdout: string }> {
  const started = performance.now();
  const result = await home.run(...argv);
  const ms = performance.now() - started;
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return { ms, stdout: result.stdout };
}

describe(`blame and log --package on a ${events}-event log`, () => {
  beforeAll(async () => {
    home = makeTestHome();
    const started = performance.now();
    await writeSyntheticLog(join(home.dir, 'home', 'db'), { events, packages, stream: 'profile' });
    console.log(`synthetic log: ${events} events written in ${Math.round(performance.now() - started)} ms`);
  }, 600_000);

  afterAll(() => home?.cleanup());

  it('builds the index once, then answers blame and log --package in well under a second', async () => {
    const first = await timed('blame', 'pkg7', '--json');
    const report = JSON.parse(first.stdout);
    expect(report.history.length).toBeGreaterThan(events / packages / 2);
    const again = await timed('blame', 'pkg7', '--json');
    expect(JSON.parse(again.stdout)).toEqual(report);
    const other = await timed('blame', 'pkg123');
    const log = await timed('log', '--package', 'pkg7', '--json');
    expect(JSON.parse(log.stdout)).toHaveLength(new Set(report.history.map((entry: { seq: number }) => entry.seq)).size);
    const logText = await timed('log', '--package', 'pkg123');
    console.log(
      [
        `first blame (index built from ${events} events): ${Math.round(first.ms)} ms`,
        `blame pkg7 (${report.history.length} events): ${Math.round(again.ms)} ms`,
        `blame pkg123 (text): ${Math.round(other.ms)} ms`,
        `log --package pkg7 --json: ${Math.round(log.ms)} ms`,
        `log --package pkg123: ${Math.round(logText.ms)} ms`,
      ].join('\n'),
    );
    for (const answer of [again, other, log, logText]) expect(answer.ms).toBeLessThan(1000);
  }, 600_000);
});
