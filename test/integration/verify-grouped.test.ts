/**
 * `verify`'s problems grouped by profile with a count each, every problem
 * naming its repair (`replay` restores the disk, `adopt` records a change
 * made outside genledger), the same in `--json` (`profile`, `fix`,
 * `byProfile`); a screenful on a terminal unless `--all`, everything off one.
 */
import { readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestHome } from './test-world.js';
import type { TestHome } from './test-world.js';

let home: TestHome;
afterEach(() => home?.cleanup());

/** One run with stderr on a terminal `rows` high. */
async function onTerminal(rows: number, ...argv: string[]): Promise<{ code: number; stderr: string }> {
  return home.runOnTerminal({ stdout: { columns: 80, rows }, stderr: { columns: 80, rows } }, ...argv);
}

interface Problem {
  kind: string;
  message: string;
  profile: string | null;
  fix: 'replay' | 'adopt' | null;
}

describe('verify groups its problems', () => {
  it('by profile, with the repair each needs, and a screenful on a terminal', async () => {
    home = makeTestHome();
    expect((await home.run('profile', 'install', 'examples/pkgs/greet-2.1')).code).toBe(0);
    expect((await home.run('-p', 'other', 'profile', 'install', 'examples/pkgs/greet-2.1')).code).toBe(0);
    const profiles = join(home.dir, 'home', 'profiles');
    // Made outside genledger: seven generations Nix would read as new.
    for (const n of [3, 4, 5, 6, 7, 8, 9]) symlinkSync('/nowhere', join(profiles, `other-${n}-link`));
    // Lost from the projection: the GC roots the ledger says are there.
    const roots = join(home.dir, 'home', 'gcroots', 'auto');
    for (const root of readdirSync(roots)) rmSync(join(roots, root));

    const json = await home.run('verify', '--json');
    expect(json.code).toBe(4);
    const report = JSON.parse(json.stdout) as { problems: Problem[]; byProfile: Array<{ profile: string | null; problems: number }> };
    const drift = report.problems.filter((problem) => problem.kind === 'drift');
    expect(drift).toHaveLength(7);
    for (const problem of drift) {
      expect(problem).toMatchObject({ profile: 'other', fix: 'adopt' });
      expect(problem.message).toContain('adopt records this: genledger adopt -p other');
    }
    const projection = report.problems.filter((problem) => problem.kind === 'projection');
    expect(projection.length).toBeGreaterThan(0);
    for (const problem of projection) {
      expect(problem.fix).toBe('replay');
      expect(problem.message).toContain('replay restores this: genledger replay');
    }
    // Grouped: the problems come profile by profile, in the order byProfile counts them.
    expect(report.byProfile.reduce((sum, group) => sum + group.problems, 0)).toBe(report.problems.length);
    expect(report.problems.map((problem) => problem.profile)).toEqual(report.byProfile.flatMap((group) => Array<string | null>(group.problems).fill(group.profile)));
    const total = report.problems.length;

    const text = await home.run('verify');
    expect(text.code).toBe(4);
    const lines = text.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(total + report.byProfile.length);
    expect(lines).toContain("genledger: profile 'other': " + `${report.byProfile.find((group) => group.profile === 'other')?.problems} problems`);
    expect(text.stderr).not.toContain('--all');

    const screen = await onTerminal(10, 'verify');
    expect(screen.code).toBe(4);
    const shown = screen.stderr.trimEnd().split('\n');
    // 10 rows less the prompt, the summary and the last line; a heading never ends the screen alone.
    expect(shown.length).toBeLessThanOrEqual(7);
    expect(shown.at(-2)).toMatch(/^genledger: {3}/);
    const problemLines = shown.filter((line) => line.startsWith('genledger:   ')).length;
    expect(shown.at(-1)).toBe(`genledger: … ${total - problemLines} more problems; --all shows them`);

    const all = await onTerminal(10, 'verify', '--all');
    expect(all.code).toBe(4);
    expect(all.stderr).toBe(text.stderr);
  });
});
