/**
 * The bash completion script (`genledger completion bash`), generated from
 * the command tree: one `case` per question (subcommands of a command, its
 * options, what an option's value or a positional argument is), and a
 * function that walks the words typed so far. Global options are accepted
 * at every level, as commander parses them anywhere on the line.
 */
import { allCommands, type CommandSpec, type OptionSpec } from './command-tree.js';
import { argumentsKind, impliedProfile, optionValueKind, type ValueKind } from './completion-values.js';

export function bashCompletionScript(root: CommandSpec): string {
  const commands = [root, ...allCommands(root)];
  const key = (command: CommandSpec): string => command.path.join(' ');
  const optionsOf = (command: CommandSpec): OptionSpec[] => (command === root ? [...root.options] : [...command.options, ...root.options.filter((option) => option.long !== '--version')]);
  const subcommandCases = commands.filter((command) => command.commands.length > 0).map((command) => caseLine(key(command), command.commands.map((sub) => sub.name).join(' ')));
  const optionCases = commands.map((command) => caseLine(key(command), optionsOf(command).flatMap(optionWords).join(' ')));
  const valueCases = commands.flatMap((command) =>
    optionsOf(command)
      .filter((option) => option.value !== undefined)
      .flatMap((option) => optionWords(option).map((word) => caseLine(`${key(command)}|${word}`, optionValueKind(option)))),
  );
  const argumentCases = commands.filter((command) => command.arguments.length > 0).map((command) => caseLine(key(command), argumentsKind(command)));
  const profileCases = root.commands
    .filter((command) => impliedProfile(command) !== undefined)
    .map((command) => `    "${key(command)}" | "${key(command)} "*) echo ${shellWord(impliedProfile(command) as string)} ;;`);
  return `# bash completion for genledger, generated from its command definitions.
# Load it with: source <(genledger completion bash)

_genledger_subcommands() {
  case "$1" in
${subcommandCases.join('\n')}
  esac
}

_genledger_options() {
  case "$1" in
${optionCases.join('\n')}
  esac
}

# What the value of option $2 of command $1 is; nothing for a switch.
_genledger_option_value() {
  case "$1|$2" in
${valueCases.join('\n')}
  esac
}

_genledger_arguments() {
  case "$1" in
${argumentCases.join('\n')}
  esac
}

_genledger_implied_profile() {
  case "$1" in
${profileCases.join('\n')}
  esac
}

_genledger_values() {
  local kind="$1" cur="$2" home="$3" profile="$4" prog="$5"
  local -a query=()
  [[ -n $home ]] && query+=(--home "$home")
  case "$kind" in
    profiles) COMPREPLY=($(compgen -W "$("$prog" "\${query[@]}" __complete profiles 2>/dev/null)" -- "$cur")) ;;
    generations)
      [[ -n $profile ]] && query+=(-p "$profile")
      COMPREPLY=($(compgen -W "$("$prog" "\${query[@]}" __complete generations 2>/dev/null)" -- "$cur")) ;;
    files) COMPREPLY=($(compgen -f -- "$cur")) ;;
    directories) COMPREPLY=($(compgen -d -- "$cur")) ;;
    *) COMPREPLY=() ;;
  esac
}

_genledger() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" home="" profile="" i word kind sub
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    kind="$(_genledger_option_value "$path" "$word")"
    if [[ -n $kind ]]; then
      case "$word" in
        --home) home="\${COMP_WORDS[i + 1]}" ;;
        -p | --profile) profile="\${COMP_WORDS[i + 1]}" ;;
      esac
      ((i++))
      continue
    fi
    [[ $word == -* ]] && continue
    for sub in $(_genledger_subcommands "$path"); do
      if [[ $sub == "$word" ]]; then
        path="\${path:+$path }$word"
        break
      fi
    done
  done
  [[ -z $profile ]] && profile="$(_genledger_implied_profile "$path")"
  if ((COMP_CWORD > 1)); then
    kind="$(_genledger_option_value "$path" "\${COMP_WORDS[COMP_CWORD - 1]}")"
    if [[ -n $kind ]]; then
      _genledger_values "$kind" "$cur" "$home" "$profile" "\${COMP_WORDS[0]}"
      return
    fi
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_genledger_options "$path")" -- "$cur"))
    return
  fi
  local subcommands
  subcommands="$(_genledger_subcommands "$path")"
  if [[ -n $subcommands ]]; then
    COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
    return
  fi
  _genledger_values "$(_genledger_arguments "$path")" "$cur" "$home" "$profile" "\${COMP_WORDS[0]}"
}

complete -F _genledger genledger
`;
}

function optionWords(option: OptionSpec): string[] {
  return [option.short, option.long].filter((word): word is string => word !== undefined);
}

function caseLine(pattern: string, value: ValueKind | string): string {
  return `    "${pattern}") echo ${shellWord(value)} ;;`;
}

function shellWord(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
