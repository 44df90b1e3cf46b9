/**
 * `genledger profile …`, the mutating half: install, remove, upgrade,
 * set-priority and the generation commands. Each takes --dry-run and
 * --expect-generation N.
 */
import type { Command } from 'commander';
import type { ProfileCommand } from '../../domain/profile-commands.js';
import type { ManifestVersion } from '../../domain/profile-events.js';
import { deletionSpec } from './deletion-spec.js';
import { usageError } from '../../errors.js';
import { action } from '../invocation.js';
import type { CliContext, Invocation } from '../invocation.js';
import { reportTransaction } from '../render/transaction-report.js';
import { registerProfileReadCommands } from './profile-read-commands.js';
import { wholeNumber } from './whole-number.js';

interface MutationOptions {
  dryRun?: boolean;
  adopt?: boolean;
  expectGeneration?: string;
  manifestVersion?: string;
  format?: string;
  priority?: string;
}

function mutating(command: Command): Command {
  return command
    .option('--dry-run', 'print the planned events and file operations; change nothing')
    .option('--expect-generation <n>', 'refuse if the profile is not at generation N')
    .option('--adopt', 'first record changes made to the profile outside genledger (as adopt does) instead of refusing');
}

function transactionOptions(options: MutationOptions) {
  const version = options.manifestVersion;
  if (version !== undefined && version !== '2' && version !== '3') throw usageError('GENLEDGER_BAD_OPTION', `--manifest-version must be 2 or 3, not '${version}'`);
  if (options.adopt === true && options.dryRun === true) {
    throw usageError('GENLEDGER_BAD_OPTION', '--adopt records a change and cannot be combined with --dry-run', 'see the drift with genledger adopt --dry-run');
  }
  return {
    dryRun: options.dryRun === true,
    adopt: options.adopt === true,
    ...(options.expectGeneration === undefined ? {} : { expectGeneration: wholeNumber(options.expectGeneration, '--expect-generation') }),
    ...profileFormat(options.format, version),
  };
}

/** `--format manifest.json|nix-env` and `--manifest-version`: what the new generation is written as (absent: as the profile's current one). */
function profileFormat(format: string | undefined, version: string | undefined): { manifestVersion?: ManifestVersion } {
  if (format !== undefined && format !== 'manifest.json' && format !== 'nix-env') {
    throw usageError('GENLEDGER_BAD_OPTION', `--format must be manifest.json or nix-env, not '${format}'`);
  }
  if (format === 'nix-env') {
    if (version !== undefined) throw usageError('GENLEDGER_BAD_OPTION', '--manifest-version applies to manifest.json profiles, not to --format nix-env');
    return { manifestVersion: 'nix-env' };
  }
  if (version !== undefined) return { manifestVersion: Number(version) as 2 | 3 };
  return format === 'manifest.json' ? { manifestVersion: 2 } : {};
}

async function runMutation(
  { world, options }: Invocation<MutationOptions>,
  run: (
    session: import('../../app/session/session-context.js').Session,
    location: import('../../app/profile/profile-location.js').ProfileLocation,
  ) => Promise<import('../../app/profile/profile-transaction.js').TransactionOutcome>,
): Promise<void> {
  const { withSession } = await import('../../app/session/session.js');
  const { checkProfileOwner } = await import('../../app/profile/profile-location.js');
  const { sessionProfile } = await import('../../app/profile/session-profile.js');
  await withSession(world, options, async (session) => {
    const location = sessionProfile(session, options.profile, options.dryRun === true ? 'read' : 'change');
    checkProfileOwner(location, world.actor, session.nix?.stateDir ?? null);
    const outcome = await run(session, location);
    const changes = outcome.events.length === 0 || (options.quiet === true && options.dryRun !== true) ? undefined : await (await import('../../app/profile/generation-closure.js')).stateChanges(session.store, outcome.before, outcome.after);
    reportTransaction(world, location.stream, outcome, options, changes);
  }, { access: 'write' });
}

function simple(context: CliContext, toCommand: (...args: string[]) => ProfileCommand) {
  return action<MutationOptions, string[]>(context, (invocation, ...args) =>
    runMutation(invocation, async (session, location) => {
      const { changeProfile } = await import('../../app/profile/profile-use-cases.js');
      return changeProfile(session, location, toCommand(...args), transactionOptions(invocation.options));
    }),
  );
}

export function registerProfileCommands(program: Command, context: CliContext): void {
  const profile = program.command('profile').description('install and remove packages, move between generations');

  mutating(profile.command('install'))
    .description('install packages: store paths, local directories, CATALOG#attr or FLAKE#attr (with --store nix)')
    .argument('<installable...>')
    .option('--priority <n>', 'priority of the new elements (lower wins a collision; default 5)')
    .option('--manifest-version <v>', 'manifest.json version to write: 2 (as Nix 2.8, default) or 3')
    .option('--format <format>', 'profile format: manifest.json (nix profile, default) or nix-env (a user environment); kept by later commands')
    .action(
      action<MutationOptions, [string[]]>(context, (invocation, installables) =>
        runMutation(invocation, async (session, location) => {
          const { installPackages } = await import('../../app/profile/profile-use-cases.js');
          const { priority } = invocation.options;
          return installPackages(session, location, installables, {
            ...transactionOptions(invocation.options),
            ...(priority === undefined ? {} : { priority: wholeNumber(priority, '--priority') }),
          });
        }),
      ),
    );

  mutating(profile.command('remove'))
    .description('remove packages by index (as profile list shows it), name, store path, link into the store, or regular expression')
    .argument('<element...>')
    .action(
      action<MutationOptions, [string[]]>(context, (invocation, args) =>
        runMutation(invocation, async (session, location) => {
          const { changeProfile } = await import('../../app/profile/profile-use-cases.js');
          const { followStoreLinks } = await import('../../app/profile/store-link-arguments.js');
          const matchers = followStoreLinks(args, session.store.storeDir, invocation.world.cwd);
          return changeProfile(session, location, { kind: 'remove', matchers }, transactionOptions(invocation.options));
        }),
      ),
    );

  mutating(profile.command('upgrade'))
    .description('re-resolve packages installed from catalogs or unlocked flakes (with --store nix)')
    .argument('[element...]', "index, name, store path, link into the store, or regular expression (as in Nix 2.8: '.*' is every package with a source)")
    .option('--all', 'upgrade every package installed from a catalog or an unlocked flake')
    .action(
      action<MutationOptions & { all?: boolean }, [string[]]>(context, (invocation, args) =>
        runMutation(invocation, async (session, location) => {
          if (args.length === 0 && invocation.options.all !== true) throw usageError('GENLEDGER_BAD_OPTION', 'name the packages to upgrade, or pass --all');
          const { upgradePackages } = await import('../../app/profile/profile-use-cases.js');
          const { followStoreLinks } = await import('../../app/profile/store-link-arguments.js');
          return upgradePackages(session, location, followStoreLinks(args, session.store.storeDir, invocation.world.cwd), transactionOptions(invocation.options));
        }),
      ),
    );

  mutating(profile.command('set-priority'))
    .description('change the priority of an installed package')
    .argument('<name>')
    .argument('<n>')
    .action(simple(context, (name, n) => ({ kind: 'set-priority', name: name as string, priority: wholeNumber(n as string, 'the priority') })));

  mutating(profile.command('rollback'))
    .description('switch to the previous generation (or --to N)')
    .option('--to <n>', 'the generation to switch to')
    .action(
      action<MutationOptions & { to?: string }, []>(context, (invocation) =>
        runMutation(invocation, async (session, location) => {
          const { changeProfile } = await import('../../app/profile/profile-use-cases.js');
          const { to } = invocation.options;
          const command: ProfileCommand = to === undefined ? { kind: 'rollback' } : { kind: 'rollback', to: wholeNumber(to, '--to') };
          return changeProfile(session, location, command, transactionOptions(invocation.options));
        }),
      ),
    );

  mutating(profile.command('undo')).description('go back to the generation that was current before the last switch').action(simple(context, () => ({ kind: 'undo' })));

  mutating(profile.command('restore'))
    .description('rebuild a deleted generation as a new generation')
    .argument('<n>')
    .action(simple(context, (n) => ({ kind: 'restore', generation: wholeNumber(n as string, 'the generation') })));

  mutating(profile.command('switch-generation'))
    .description('switch to generation N')
    .argument('<n>')
    .action(simple(context, (n) => ({ kind: 'switch-generation', to: wholeNumber(n as string, 'the generation') })));

  mutating(profile.command('delete-generations'))
    .description('delete generations: old, N..., +N (keep the last N), Nd (older than N days), or a retention policy')
    .argument('[spec...]')
    .option('--keep <n>', 'keep the newest N generations (with --keep-since: keep the union)')
    .option('--keep-since <duration>', 'keep generations newer than DURATION: 12h, 7d, 2w')
    .action(
      action<MutationOptions & { keep?: string; keepSince?: string }, [string[]]>(context, (invocation, spec) =>
        runMutation(invocation, async (session, location) => {
          const { changeProfile } = await import('../../app/profile/profile-use-cases.js');
          const { keep, keepSince } = invocation.options;
          return changeProfile(session, location, { kind: 'delete-generations', spec: deletionSpec(spec, keep, keepSince) }, transactionOptions(invocation.options));
        }),
      ),
    );

  mutating(profile.command('wipe-history'))
    .description('delete all non-current generations (or those older than --older-than Nd)')
    .option('--older-than <age>', 'only generations older than Nd')
    .action(
      action<MutationOptions & { olderThan?: string }, []>(context, (invocation) =>
        runMutation(invocation, async (session, location) => {
          const { changeProfile } = await import('../../app/profile/profile-use-cases.js');
          const { olderThan } = invocation.options;
          return changeProfile(session, location, { kind: 'wipe-history', ...(olderThan === undefined ? {} : { olderThan }) }, transactionOptions(invocation.options));
        }),
      ),
    );

  registerProfileReadCommands(profile, program, context);
}
