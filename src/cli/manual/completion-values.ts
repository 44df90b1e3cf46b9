/**
 * What a shell should offer for an option's value or a command's
 * positional arguments. Profile names and generation numbers come from the
 * home at Tab time (`genledger __complete`); the rest from the file system
 * or nothing. Kept apart from the script generators so bash, zsh and fish
 * complete the same things.
 */
import type { CommandSpec, OptionSpec } from './command-tree.js';

export type ValueKind = 'profiles' | 'generations' | 'files' | 'directories' | 'text';

/** Options whose `<n>` names a generation (`--keep <n>` is a count, not one). */
const generationOptions = new Set(['--to', '--generation', '--expect-generation']);
/** Commands whose positional arguments are generations (of `-p`, or of the system profile under `system`). */
const generationCommands = new Set(['switch-generation', 'restore', 'diff', 'delete-generations']);

export function optionValueKind(option: OptionSpec): ValueKind {
  if (option.long === '--profile' || option.long === '--as') return 'profiles';
  if (option.value === 'n' && option.long !== undefined && generationOptions.has(option.long)) return 'generations';
  if (option.value === 'dir') return 'directories';
  if (option.value === 'file' || option.value === 'path') return 'files';
  return 'text';
}

export function argumentsKind(command: CommandSpec): ValueKind {
  if (generationCommands.has(command.name)) return 'generations';
  if (command.arguments.some((argument) => ['path', 'link', 'installable'].includes(argument.name))) return 'files';
  if (command.arguments.some((argument) => argument.name === 'dir')) return 'directories';
  return 'text';
}

/** The profile whose generations a command's arguments name: the system profile under `system`. */
export function impliedProfile(command: CommandSpec): string | undefined {
  return command.path[0] === 'system' ? 'system' : undefined;
}
