/**
 * The CLI's command definitions as plain data, read from the commander tree
 * `buildProgram` builds: the one source the completion scripts and the man
 * page are generated from, so neither can drift from the real options.
 * Hidden commands and options stay out, as they do in `--help`.
 */
import type { Command } from 'commander';

export interface OptionSpec {
  /** As written in help: `-p, --profile <name>`. */
  readonly flags: string;
  readonly short?: string;
  readonly long?: string;
  /** The value's placeholder (`name`), absent for a switch. */
  readonly value?: string;
  readonly description: string;
}

export interface ArgumentSpec {
  readonly name: string;
  readonly required: boolean;
  readonly variadic: boolean;
}

export interface CommandSpec {
  readonly name: string;
  /** The words from the program to this command: `['profile', 'install']`. */
  readonly path: readonly string[];
  readonly description: string;
  readonly arguments: readonly ArgumentSpec[];
  readonly options: readonly OptionSpec[];
  readonly commands: readonly CommandSpec[];
}

export function commandTree(program: Command): CommandSpec {
  return describe(program, []);
}

/** Every command below the root, parents before their subcommands. */
export function allCommands(root: CommandSpec): CommandSpec[] {
  return root.commands.flatMap((command) => [command, ...allCommands(command)]);
}

function describe(command: Command, path: readonly string[]): CommandSpec {
  const help = command.createHelp();
  return {
    name: command.name(),
    path,
    description: command.description(),
    arguments: command.registeredArguments.map((argument) => ({ name: argument.name(), required: argument.required, variadic: argument.variadic })),
    options: help.visibleOptions(command).map((option) => ({
      flags: option.flags,
      ...(option.short === undefined ? {} : { short: option.short }),
      ...(option.long === undefined ? {} : { long: option.long }),
      ...(option.required || option.optional ? { value: valuePlaceholder(option.flags) } : {}),
      description: option.description,
    })),
    commands: help.visibleCommands(command).map((sub) => describe(sub, [...path, sub.name()])),
  };
}

function valuePlaceholder(flags: string): string {
  return /[<[]([^>\]]+)[>\]]/.exec(flags)?.[1] ?? 'value';
}
