/**
 * The fish completion script: one `complete` line per subcommand and
 * option, each guarded by the command path typed so far, which a small
 * function finds by skipping options and their values.
 */
import { allCommands, type CommandSpec, type OptionSpec } from './command-tree.js';
import { argumentsKind, impliedProfile, optionValueKind, type ValueKind } from './completion-values.js';

export function fishCompletionScript(root: CommandSpec): string {
  const commands = [root, ...allCommands(root)];
  const valued = [...new Set(commands.flatMap((command) => command.options.filter((option) => option.value !== undefined).flatMap(optionWords)))].sort();
  const lines = commands.flatMap((command) => {
    const at = `-n ${fishWord(`__genledger_at ${fishWord(command.path.join(' '))}`)}`;
    const options = command === root ? command.options : [...command.options, ...root.options.filter((option) => option.long !== '--version')];
    return [
      ...command.commands.map((sub) => `complete -c genledger ${at} -f -a ${fishWord(sub.name)} -d ${fishWord(firstLine(sub.description))}`),
      ...options.map((option) => `complete -c genledger ${at}${optionFlags(option)} -d ${fishWord(firstLine(option.description))}${option.value === undefined ? '' : valueArguments(optionValueKind(option), command)}`),
      ...(command.commands.length === 0 && command.arguments.length > 0 ? [`complete -c genledger ${at}${valueArguments(argumentsKind(command), command)}`] : []),
    ];
  });
  return `# fish completion for genledger, generated from its command definitions.
# Load it with: genledger completion fish | source

function __genledger_path
    set -l valued ${valued.map(fishWord).join(' ')}
    set -l words (commandline -opc)
    set -l path
    set -l skip 0
    for word in $words[2..-1]
        if test $skip = 1
            set skip 0
        else if contains -- $word $valued
            set skip 1
        else if not string match -q -- '-*' $word
            set path $path $word
        end
    end
    string join ' ' $path
end

function __genledger_at
    test (__genledger_path) = "$argv[1]"
end

function __genledger_query
    set -l words (commandline -opc)
    set -l given
    for option in --home -p --profile
        set -l index (contains -i -- $option $words)
        and set given $given $option $words[(math $index + 1)]
    end
    $words[1] $given __complete $argv 2>/dev/null
end

complete -c genledger -f
${lines.join('\n')}
`;
}

function optionWords(option: OptionSpec): string[] {
  return [option.short, option.long].filter((word): word is string => word !== undefined);
}

function optionFlags(option: OptionSpec): string {
  return `${option.short === undefined ? '' : ` -s ${option.short.slice(1)}`}${option.long === undefined ? '' : ` -l ${option.long.slice(2)}`}`;
}

function valueArguments(kind: ValueKind, command: CommandSpec): string {
  const profile = impliedProfile(command);
  switch (kind) {
    case 'profiles':
      return ` -x -a ${fishWord('(__genledger_query profiles)')}`;
    case 'generations':
      return ` -x -a ${fishWord(`(__genledger_query generations${profile === undefined ? '' : ` -p ${profile}`})`)}`;
    case 'files':
    case 'directories':
      return ' -r -F';
    case 'text':
      return ' -x';
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

function fishWord(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
