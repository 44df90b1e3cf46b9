/**
 * The manual page genledger.1 (roff, man macros), generated from the
 * command tree at build time: every command with its arguments and
 * options, and the README's fixed sections (exit status, files,
 * environment). No date in it, so the same sources build the same page.
 */
import { allCommands, type ArgumentSpec, type CommandSpec, type OptionSpec } from './command-tree.js';

export function manPage(root: CommandSpec, version: string): string {
  const globals = root.options;
  return [
    `.TH GENLEDGER 1 "" "genledger ${text(version)}" "User Commands"`,
    '.SH NAME',
    `genledger \\- ${text(root.description)}`,
    '.SH SYNOPSIS',
    '.B genledger',
    '.RI [ global-options ]',
    '.I command',
    '.RI [ options ]',
    '.RI [ arguments ]',
    '.SH DESCRIPTION',
    'genledger manages Nix profiles as an event\\-sourced ledger: every change to a profile is an event in a hash\\-chained log',
    'that records who made it, when, with which command and why, and the profiles, their generation links and the',
    'garbage\\-collector roots on disk are projected from that log.',
    '.SH GLOBAL OPTIONS',
    'Accepted by every command, before or after the command name.',
    ...globals.flatMap(optionItem),
    '.SH COMMANDS',
    ...allCommands(root).flatMap(commandItem),
    '.SH EXIT STATUS',
    ...exitStatuses.flatMap(([code, meaning]) => ['.TP', `.B ${code}`, text(meaning)]),
    '.SH FILES',
    ...files.flatMap(([path, meaning]) => ['.TP', `.I ${text(path)}`, text(meaning)]),
    '.SH ENVIRONMENT',
    ...environment.flatMap(([name, meaning]) => ['.TP', `.B ${name}`, text(meaning)]),
    '.SH SEE ALSO',
    '.BR nix\\-env (1),',
    '.BR nix\\-store (1),',
    '.BR nix (1)',
    '',
  ].join('\n');
}

const exitStatuses: ReadonlyArray<readonly [string, string]> = [
  ['0', 'Success; also help, --version and a closed output pipe.'],
  ['1', 'Refused: a collision, an unknown package, profile or generation, deleting the current generation.'],
  ['2', 'Usage: an unknown option or a malformed argument.'],
  ['3', 'Lock timeout: another genledger process held the database lock; the message names it.'],
  ['4', 'Integrity: a broken hash chain, a bad signature, or a disk that differs from the ledger.'],
  ['70', 'Internal error: a bug; please report it (the stack is shown with --debug).'],
];

const files: ReadonlyArray<readonly [string, string]> = [
  ['<home>/db/', 'The LevelDB database holding the event log.'],
  ['<home>/ledger-head.json', 'The commit point: the seq and hash of the last committed event.'],
  ['<home>/home.json', 'The home marker: where the home was created, and its id.'],
  ['<home>/store/', 'The embedded content-addressed store (default).'],
  ['<home>/profiles/', 'The profiles and their NAME-N-link generation links, projected from the ledger.'],
  ['<home>/gcroots/', 'Registered (indirect) garbage-collector roots.'],
  ['<home>/run/', 'The running system and per-run state.'],
];

const environment: ReadonlyArray<readonly [string, string]> = [
  ['GENLEDGER_HOME', 'The state home when --home is not given.'],
  ['XDG_STATE_HOME', 'Without GENLEDGER_HOME, the home is $XDG_STATE_HOME/genledger (default ~/.local/state/genledger).'],
  ['GENLEDGER_SIGN_KEY', 'A Nix secret key file to sign appended events with, as --sign-key.'],
  ['NO_COLOR', 'When set, no ANSI colours, as --no-color.'],
];

function commandItem(command: CommandSpec): string[] {
  const synopsis = [...command.path.map((word) => `\\fB${text(word)}\\fR`), ...command.arguments.map(argumentText)].join(' ');
  const own = command.options.filter((option) => option.long !== '--help');
  return ['.TP', synopsis, text(command.description), ...(own.length === 0 ? [] : ['.RS', ...own.flatMap(optionItem), '.RE'])];
}

function optionItem(option: OptionSpec): string[] {
  return ['.TP', `.B ${text(option.flags)}`, text(option.description)];
}

function argumentText(argument: ArgumentSpec): string {
  const name = `\\fI${text(argument.name)}\\fR${argument.variadic ? '...' : ''}`;
  return argument.required ? name : `[${name}]`;
}

/** Roff text: backslashes and hyphens escaped, and no line read as a request. */
function text(value: string): string {
  return value
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}
