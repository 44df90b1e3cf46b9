import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { commandHelp, leaves } from '../../src/cli/command-help.js';
import { makeTestHome, type TestHome } from './test-world.js';

let home: TestHome;
afterEach(() => home.cleanup());

describe('usage and help', () => {
  it('a bare genledger or command group prints usage on stderr and exits 2, creating no home', async () => {
    home = makeTestHome();
    for (const argv of [[], ['profile'], ['system'], ['store']]) {
      const result = await home.run(...argv);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^Usage: genledger/);
    }
    expect(existsSync(join(home.dir, 'home'))).toBe(false);
  });

  it('help A B shows the help of A\'s subcommand B; an unknown one is a usage error', async () => {
    home = makeTestHome();
    const nested = await home.run('help', 'profile', 'list');
    expect(nested.code).toBe(0);
    expect(nested.stdout).toMatch(/^Usage: genledger profile list /);
    expect((await home.run('help', 'profile')).stdout).toMatch(/^Usage: genledger profile \[options\] \[command\]/);
    expect((await home.run('help')).stdout).toMatch(/^Usage: genledger \[options\] \[command\]/);
    expect((await home.run('profile', 'help', 'diff')).stdout).toMatch(/^Usage: genledger profile diff /);
    const unknown = await home.run('help', 'profile', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'profile nope'");
    expect(unknown.stderr).toContain('hint: the commands there: install, remove');
  });

  it("a subcommand's --help lists the global options it uses and an example", async () => {
    home = makeTestHome();
    const install = await home.run('profile', 'install', '--help');
    expect(install.code).toBe(0);
    expect(install.stdout).toContain('Global options it uses:\n  -p, --profile <name>');
    expect(install.stdout).toMatch(/^ {2}-m, --reason <text> +why: recorded/m);
    expect(install.stdout).toContain("Example:\n  $ genledger profile install -p work -m 'for the demo' ./result");
    const status = await home.run('system', 'status', '--help');
    expect(status.stdout).toMatch(/^ {2}--json +machine-readable/m);
    expect(status.stdout).not.toMatch(/^ {2}-m, --reason/m);
    for (const line of install.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('every subcommand has a line in the help table, and every line names a subcommand', () => {
    const program = buildProgram({} as never, () => undefined) as Command;
    const paths = leaves(program, []).map(([path]) => path.join(' '));
    expect(paths.filter((path) => commandHelp[path] === undefined)).toEqual([]);
    expect(Object.keys(commandHelp).filter((path) => !paths.includes(path))).toEqual([]);
  });
});
