/**
 * `genledger switch-profile PATH`: point `~/.nix-profile` at PATH, as
 * `nix-env --switch-profile` does (app/profile/switch-profile.ts).
 */
import type { Command } from 'commander';
import { describeFsOp } from '../../projection/fs-op.js';
import { action } from '../invocation.js';
import type { CliContext } from '../invocation.js';

export function registerSwitchProfileCommand(program: Command, context: CliContext): void {
  program
    .command('switch-profile')
    .description('point ~/.nix-profile at the profile PATH (as nix-env --switch-profile)')
    .argument('<path>', 'the profile: an absolute path, or relative to the working directory')
    .option('--dry-run', 'print the planned event and link switch; change nothing')
    .action(
      action<{ dryRun?: boolean }, [string]>(context, async ({ world, options }, path) => {
        const { withSession } = await import('../../app/session/session.js');
        const { switchProfile } = await import('../../app/profile/switch-profile.js');
        const dryRun = options.dryRun === true;
        const outcome = await withSession(world, options, (session) => switchProfile(session, path, { dryRun }), { access: 'write' });
        const { link, profile, target, previous, changed } = outcome;
        if (options.json) {
          const events = dryRun ? outcome.events : outcome.events.map((event) => event.type);
          world.stdout.write(`${JSON.stringify({ dryRun, link, profile, target, previous, changed, events, ...(dryRun ? { operations: outcome.operations } : {}) })}\n`);
          return;
        }
        if (dryRun) {
          if (!changed) world.stdout.write('nothing to do\n');
          for (const event of outcome.events) world.stdout.write(`would append ${event.type}\n`);
          for (const op of outcome.operations) world.stdout.write(`would ${describeFsOp(op)}\n`);
          return;
        }
        if (!options.quiet) world.stderr.write(changed ? `genledger: '${link}' now points at '${profile}'\n` : `genledger: nothing to do; '${link}' already points at '${profile}'\n`);
      }),
    );
}
