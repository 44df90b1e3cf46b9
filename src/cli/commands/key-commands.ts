/**
 * `genledger key generate NAME`: a Nix-format ed25519 key pair, written as
 * NAME.sec (mode 0600) and NAME.pub, exactly as
 * `nix-store --generate-binary-cache-key` writes them (no trailing newline).
 */
import type { Command } from 'commander';
import { action } from '../invocation.js';
import type { CliContext } from '../invocation.js';

export function registerKeyCommands(program: Command, context: CliContext): void {
  const key = program.command('key').description('signing keys (Nix format)');
  key
    .command('generate')
    .description('write NAME.sec and NAME.pub in the current directory (or --dir)')
    .argument('<name>', 'the key name, e.g. host.example.org-1')
    .option('--dir <dir>', 'where to write the two files', '.')
    .action(
      action<{ dir: string }, [string]>(context, async ({ world, options }, name) => {
        const { writeKeyPair } = await import('../../app/home/key-files.js');
        const { resolve } = await import('node:path');
        const written = writeKeyPair(resolve(world.cwd, options.dir), name);
        if (options.json) world.stdout.write(`${JSON.stringify(written)}\n`);
        else world.stdout.write(`${written.secretKeyFile}\n${written.publicKeyFile}\n`);
      }),
    );
}
