/**
 * A reason (`-m`) holding escape sequences, newlines and a bidi override is
 * stored whole (`log --json`), shown escaped on one line by `log`,
 * `profile history` and `blame`, cut to the width left on a terminal and
 * kept whole off one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

let home: TestHome;
afterEach(() => home?.cleanup());

const hostile = `paint it \x1b[31mred\x1b[0m\nseq 99  forged line\ttab \u202eevil\u200b ${'long '.repeat(30)}end`;
const escaped = `paint it \\x1b[31mred\\x1b[0m\\nseq 99  forged line\\ttab \\u202eevil\\u200b ${'long '.repeat(30)}end`;

/** One run with stdout on a terminal `columns` wide. */
async function onTerminal(columns: number, ...argv: string[]): Promise<string> {
  const result = await home.runOnTerminal({ stdout: { columns } }, ...argv);
  expect(result.code).toBe(0);
  return result.stdout;
}

// Nothing that moves the cursor, recolours or reorders reaches the output.
const unsafe = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

describe('reasons in text output', () => {
  it('stores the reason whole and prints it escaped, whole off a terminal and cut on one', async () => {
    home = makeTestHome();
    expect((await home.run('profile', 'install', 'examples/pkgs/greet-2.1', '-m', hostile)).code).toBe(0);

    const json = JSON.parse((await home.run('log', '--json')).stdout) as Array<{ reason?: string; command?: string[] }>;
    expect(json.map((event) => event.reason)).toEqual([hostile, hostile]);
    expect(json[1]?.command).toContain(hostile);

    const log = (await home.run('log')).stdout;
    expect(log).not.toMatch(unsafe);
    expect(log.split('\n').filter((line) => line.startsWith('seq '))).toHaveLength(2);
    expect(log).toContain(`    reason: ${escaped}\n`);
    expect(log).toContain(`-m ${escaped}\n`);

    const history = (await home.run('profile', 'history')).stdout;
    expect(history).not.toMatch(unsafe);
    expect(history).toContain(`: ${escaped}\n`);

    const blame = (await home.run('blame', 'greet')).stdout;
    expect(blame).not.toMatch(unsafe);
    expect(blame).toContain(`  reason: ${escaped}\n`);
    expect(blame).toMatch(new RegExp(`by alice@testhost: ${escaped.replace(/[\\[\]$]/g, '\\$&')}\\n$`));

    for (const argv of [['log'], ['profile', 'history'], ['blame', 'greet']]) {
      const shown = await onTerminal(80, '--no-color', ...argv);
      expect(shown, argv.join(' ')).not.toMatch(unsafe);
      const reasonLines = shown.split('\n').filter((line) => line.includes('paint it'));
      expect(reasonLines.length, argv.join(' ')).toBeGreaterThan(0);
      for (const line of reasonLines.filter((line) => !line.includes('$ genledger'))) {
        // The width left on the line, but never fewer than 20 columns for the reason.
        expect(line.length, line).toBeLessThanOrEqual(Math.max(80, line.indexOf('paint it') + 20));
        expect(line.endsWith('…'), line).toBe(true);
        expect(line).not.toContain('end');
      }
    }
    // An escape is never cut in two: `\u200b` does not fit, so it goes whole.
    expect(await onTerminal(80, 'log')).toContain('    reason: paint it \\x1b[31mred\\x1b[0m\\nseq 99  forged line\\ttab \\u202eevil…\n');
  });
});
