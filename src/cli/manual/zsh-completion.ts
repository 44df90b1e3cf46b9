/**
 * The zsh completion script: the generated bash script run through zsh's
 * own bash-completion layer (bashcompinit), so both shells complete from
 * one set of rules and cannot drift apart.
 */
import { bashCompletionScript } from './bash-completion.js';
import type { CommandSpec } from './command-tree.js';

export function zshCompletionScript(root: CommandSpec): string {
  return `# zsh completion for genledger. Load it with: source <(genledger completion zsh)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashCompletionScript(root)}`;
}
