/**
 * The completion scripts and the man page, generated from the real program
 * tree: every visible command and option reaches them, hidden ones do not,
 * and values are completed from the right source.
 */
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../../src/cli/program.js';
import { bashCompletionScript } from '../../../../src/cli/manual/bash-completion.js';
import { allCommands, commandTree } from '../../../../src/cli/manual/command-tree.js';
import { argumentsKind, optionValueKind } from '../../../../src/cli/manual/completion-values.js';
import { fishCompletionScript } from '../../../../src/cli/manual/fish-completion.js';
import { manPage } from '../../../../src/cli/manual/man-page.js';
import { zshCompletionScript } from '../../../../src/cli/manual/zsh-completion.js';
import type { World } from '../../../../src/world.js';

const silent = { write: () => undefined, isTTY: false };
const world: World = {
  now: () => new Date(0),
  actor: { user: 'alice', uid: 1000, host: 'h' },
  newId: () => 'id',
  pid: 1,
  argv: [],
  env: {},
  cwd: '/',
  stdout: silent,
  stderr: silent,
  sleep: async () => undefined,
};
const root = commandTree(buildProgram(world, () => undefined));
const find = (...path: string[]) => allCommands(root).find((command) => command.path.join(' ') === path.join(' '));

describe('the command tree', () => {
  it('holds every visible command with its path, and no hidden one', () => {
    expect(find('profile', 'install')?.arguments).toEqual([{ name: 'installable', required: true, variadic: true }]);
    expect(find('system', 'switch')).toBeDefined();
    expect(find('completion')?.arguments.map((argument) => argument.name)).toEqual(['shell']);
    expect(allCommands(root).filter((command) => command.name.startsWith('__'))).toEqual([]);
  });

  it('holds the global options on the root, with their value placeholders', () => {
    const profile = root.options.find((option) => option.long === '--profile');
    expect(profile).toMatchObject({ short: '-p', value: 'name' });
    expect(root.options.find((option) => option.long === '--json')?.value).toBeUndefined();
  });
});

describe('what completion offers', () => {
  it('profiles for -p, generations for generation numbers, not for counts or priorities', () => {
    expect(optionValueKind(root.options.find((option) => option.long === '--profile')!)).toBe('profiles');
    expect(optionValueKind(find('profile', 'rollback')!.options.find((option) => option.long === '--to')!)).toBe('generations');
    const keep = find('profile', 'delete-generations')!.options.find((option) => option.long === '--keep')!;
    expect(optionValueKind(keep)).toBe('text');
    expect(argumentsKind(find('profile', 'switch-generation')!)).toBe('generations');
    expect(optionValueKind(find('system', 'rollback')!.options.find((option) => option.long === '--expect-generation')!)).toBe('generations');
    expect(argumentsKind(find('profile', 'set-priority')!)).toBe('text');
    expect(argumentsKind(find('profile', 'install')!)).toBe('files');
  });
});

describe('the bash script', () => {
  const script = bashCompletionScript(root);

  it('lists every command under its parent and every option of every command', () => {
    for (const command of [root, ...allCommands(root)]) {
      const key = command.path.join(' ');
      if (command.commands.length > 0) expect(script).toContain(`"${key}") echo '${command.commands.map((sub) => sub.name).join(' ')}' ;;`);
      for (const option of command.options) expect(script).toMatch(new RegExp(`"${key}"\\) echo '[^']*${option.long ?? option.short}`));
    }
  });

  it('asks genledger for profiles and generations, and scopes system commands to the system profile', () => {
    expect(script).toContain('__complete profiles');
    expect(script).toContain('__complete generations');
    expect(script).toContain(`"system" | "system "*) echo 'system' ;;`);
    expect(script).not.toContain('__manpage');
  });

  it('is wrapped for zsh through bashcompinit', () => {
    expect(zshCompletionScript(root)).toContain('bashcompinit');
    expect(zshCompletionScript(root)).toContain(script);
  });
});

describe('the fish script', () => {
  const script = fishCompletionScript(root);

  it('completes each subcommand and option under its command path', () => {
    expect(script).toContain(`complete -c genledger -n '__genledger_at \\'profile\\'' -f -a 'install'`);
    expect(script).toMatch(/-n '__genledger_at \\'profile rollback\\'' -l to -d '[^']*' -x -a '\(__genledger_query generations\)'/);
    expect(script).toContain(`-x -a '(__genledger_query generations -p system)'`);
    expect(script).toContain(`-s p -l profile`);
  });
});

describe('the man page', () => {
  const page = manPage(root, '9.9.9');

  it('has the sections of a manual and no date', () => {
    expect(page.startsWith('.TH GENLEDGER 1 "" "genledger 9.9.9" "User Commands"\n')).toBe(true);
    const sections = [...page.matchAll(/^\.SH (.+)$/gm)].map((match) => match[1]);
    expect(sections).toEqual(['NAME', 'SYNOPSIS', 'DESCRIPTION', 'GLOBAL OPTIONS', 'COMMANDS', 'EXIT STATUS', 'FILES', 'ENVIRONMENT', 'SEE ALSO']);
  });

  it('documents every command with its arguments and options, hyphens escaped', () => {
    for (const command of allCommands(root)) expect(page).toContain(command.path.map((word) => `\\fB${word.replace(/-/g, '\\-')}\\fR`).join(' '));
    expect(page).toContain('\\fBprofile\\fR \\fBinstall\\fR \\fIinstallable\\fR...');
    expect(page).toContain('.B \\-p, \\-\\-profile <name>');
    expect(page).not.toMatch(/^[.'](?!(TH|SH|TP|B|I|BR|RI|RS|RE)\b)/m);
  });
});
