/**
 * `genledger completion bash|zsh|fish` prints a completion script generated
 * from the command tree; the hidden `__complete profiles|generations` is
 * what those scripts call at Tab time, and the hidden `__manpage` prints
 * genledger.1 for the build (esbuild.config.mjs).
 */
import { Argument, type Command } from 'commander';
import { version } from '../../version.js';
import { action, type CliContext } from '../invocation.js';
import { bashCompletionScript } from '../manual/bash-completion.js';
import { commandTree } from '../manual/command-tree.js';
import { fishCompletionScript } from '../manual/fish-completion.js';
import { manPage } from '../manual/man-page.js';
import { zshCompletionScript } from '../manual/zsh-completion.js';

const scripts = { bash: bashCompletionScript, zsh: zshCompletionScript, fish: fishCompletionScript };

export function registerCompletionCommands(program: Command, context: CliContext): void {
  program
    .command('completion')
    .description('print a shell completion script (source <(genledger completion bash))')
    .addArgument(new Argument('<shell>', 'the shell').choices(Object.keys(scripts)))
    .action(
      action<object, [keyof typeof scripts]>(context, async ({ world }, shell) => {
        world.stdout.write(scripts[shell](commandTree(program)));
      }),
    );
  program
    .command('__complete', { hidden: true })
    .addArgument(new Argument('<what>').choices(['profiles', 'generations']))
    .action(
      action<object, ['profiles' | 'generations']>(context, async ({ world, options }, what) => {
        const { resolveStateHome } = await import('../../app/session/state-home.js');
        const { generationNumbers, profileNames } = await import('../../app/home/completion-candidates.js');
        const home = resolveStateHome(options.home, world);
        const words = what === 'profiles' ? profileNames(home) : generationNumbers(home, options.profile ?? 'profile').map(String);
        for (const word of words) world.stdout.write(`${word}\n`);
      }),
    );
  program
    .command('__manpage', { hidden: true })
    .action(
      action(context, async ({ world }) => {
        world.stdout.write(manPage(commandTree(program), version));
      }),
    );
}
