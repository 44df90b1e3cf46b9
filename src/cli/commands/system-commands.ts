/**
 * `genledger system …`: the system profile with nixos-rebuild's semantics.
 * build, switch, boot, test, rollback, switch-generation, reboot and
 * delete-generations change it (each but build takes --dry-run and
 * --expect-generation N); status, list-generations and diff read it.
 * build, switch, boot and test take the configuration as a PATH, a flake
 * or NIX_PATH (system-source-options.ts). A failed activation is
 * recorded, reported, and exits 1. `--root DIR` names a real root
 * (system-root.ts); dry-activate runs the activation's dry run and records
 * nothing; observe-boot records a boot of a real root.
 */
import type { Command } from 'commander';
import type { SystemSource } from '../../app/system/system-source.js';
import type { SystemRequest } from '../../app/system/system-use-cases.js';
import { checkConfigurationLimit } from '../../domain/boot-entries.js';
import { action } from '../invocation.js';
import type { CliContext, Invocation } from '../invocation.js';
import { reportSystemCommand } from '../render/system-report.js';
import { deletionSpec } from './deletion-spec.js';
import { wholeNumber } from './whole-number.js';
import { registerSystemReadCommands } from './system-read-commands.js';
import { systemSourceOf, withSourceOptions } from './system-source-options.js';
import type { SystemSourceOptions } from './system-source-options.js';

interface SystemCommandOptions extends SystemSourceOptions {
  dryRun?: boolean;
  expectGeneration?: string;
  activate?: boolean;
  configurationLimit?: string;
  root?: string;
  installBootloader?: boolean;
  specialisation?: string;
}

function mutating(command: Command): Command {
  return command
    .option('--dry-run', 'print the planned events, activation and file operations; change nothing')
    .option('--expect-generation <n>', 'refuse if the system profile is not at generation N')
    .option('--root <dir>', 'the real root whose nix/var/nix/profiles/system to manage (default: / with --store nix, else the simulated root in the home)');
}

function withActivationOptions(command: Command): Command {
  return command
    .option('--install-bootloader', 'have the activation (re)install the boot loader: NIXOS_INSTALL_BOOTLOADER=1')
    .option('--specialisation <name>', 'activate PATH/specialisation/NAME instead of the configuration itself');
}

function activating(command: Command): Command {
  return withActivationOptions(mutating(command).option('--no-activate', 'record the change without running bin/switch-to-configuration'));
}

function withBootMenu(command: Command): Command {
  return activating(command).option('--configuration-limit <n>', 'how many generations the boot menu lists (default: as before, at first 10)');
}

async function runSystem({ world, options }: Invocation<SystemCommandOptions>, request: SystemRequest): Promise<void> {
  const { withSession } = await import('../../app/session/session.js');
  const { runSystemCommand, activationFailure } = await import('../../app/system/system-use-cases.js');
  await withSession(world, options, async (session) => {
    const outcome = await runSystemCommand(session, request, {
      dryRun: options.dryRun === true,
      activate: options.activate !== false,
      installBootloader: options.installBootloader === true,
      ...(options.root === undefined ? {} : { root: options.root }),
      ...(options.specialisation === undefined ? {} : { specialisation: options.specialisation }),
      ...(options.expectGeneration === undefined ? {} : { expectGeneration: wholeNumber(options.expectGeneration, '--expect-generation') }),
    });
    reportSystemCommand(world, request, outcome, options);
    const failure = activationFailure(outcome);
    if (failure !== null) throw failure;
  }, { access: 'write' });
}

/** Checked before anything is opened, so a usage error changes nothing. */
function sourceOf({ world, options }: Invocation<SystemCommandOptions>, path: string | undefined): SystemSource {
  return systemSourceOf(path, options, world.actor.host);
}

/** Checked before anything is added to the store, so a bad limit changes nothing. */
function limitOf(options: SystemCommandOptions): { configurationLimit?: number } {
  if (options.configurationLimit === undefined) return {};
  const configurationLimit = wholeNumber(options.configurationLimit, '--configuration-limit');
  checkConfigurationLimit(configurationLimit);
  return { configurationLimit };
}

export function registerSystemCommands(program: Command, context: CliContext): void {
  const system = program.command('system').description('the system profile, as nixos-rebuild: switch, boot, test, rollback, reboot');

  withSourceOptions(system.command('build'))
    .description('build a configuration (through Nix for --flake and NIX_PATH; a directory is added to the store) and print its store path')
    .option('--dry-run', 'for a directory: print the store path it would get, adding nothing (--flake and NIX_PATH: Nix still builds it)')
    .action(
      action<SystemSourceOptions & { dryRun?: boolean }, [string | undefined]>(context, async ({ world, options }, path) => {
        const { withSession } = await import('../../app/session/session.js');
        const { buildSystem } = await import('../../app/system/system-use-cases.js');
        const source = systemSourceOf(path, options, world.actor.host);
        const build = await withSession(world, options, (session) => buildSystem(session, source, options.dryRun === true), { access: 'write' });
        world.stdout.write(options.json ? `${JSON.stringify({ systemPath: build.storePath, build })}\n` : `${build.storePath}\n`);
      }),
    );

  withSourceOptions(withBootMenu(system.command('switch')))
    .description('make the configuration a new generation that boots by default, and activate it now')
    .action(
      action<SystemCommandOptions, [string | undefined]>(context, (invocation, path) =>
        runSystem(invocation, { kind: 'switch', source: sourceOf(invocation, path), ...limitOf(invocation.options) }),
      ),
    );

  withSourceOptions(withBootMenu(system.command('boot')))
    .description('make the configuration a new generation that boots by default from the next reboot; activate nothing now')
    .action(
      action<SystemCommandOptions, [string | undefined]>(context, (invocation, path) =>
        runSystem(invocation, { kind: 'boot', source: sourceOf(invocation, path), ...limitOf(invocation.options) }),
      ),
    );

  withSourceOptions(activating(system.command('test')))
    .description('activate the configuration now without making a generation; the next reboot goes back to the boot default')
    .action(action<SystemCommandOptions, [string | undefined]>(context, (invocation, path) => runSystem(invocation, { kind: 'test', source: sourceOf(invocation, path) })));

  withBootMenu(system.command('rollback'))
    .description('switch to the generation before the boot default, as nixos-rebuild switch --rollback')
    .action(action<SystemCommandOptions, []>(context, (invocation) => runSystem(invocation, { kind: 'rollback', ...limitOf(invocation.options) })));

  withBootMenu(system.command('switch-generation'))
    .description('make generation N the boot default and activate it now, as nix-env --switch-generation then switch-to-configuration switch')
    .argument('<n>')
    .action(
      action<SystemCommandOptions, [string]>(context, (invocation, n) =>
        runSystem(invocation, { kind: 'switch-generation', generation: wholeNumber(n, 'the generation'), ...limitOf(invocation.options) }),
      ),
    );

  mutating(system.command('delete-generations'))
    .description('delete generations: old, N..., +N, Nd or --keep/--keep-since; never the boot default, booted or running one')
    .argument('[spec...]')
    .option('--keep <n>', 'keep the newest N generations (with --keep-since: keep the union)')
    .option('--keep-since <duration>', 'keep generations newer than DURATION: 12h, 7d, 2w')
    .action(
      action<SystemCommandOptions & { keep?: string; keepSince?: string }, [string[]]>(context, (invocation, spec) =>
        runSystem(invocation, { kind: 'delete-generations', spec: deletionSpec(spec, invocation.options.keep, invocation.options.keepSince) }),
      ),
    );

  withSourceOptions(withActivationOptions(system.command('dry-activate')))
    .description("run the configuration's switch-to-configuration dry-activate (what a switch would change); record nothing")
    .option('--root <dir>', 'the real root (as for switch)')
    .action(
      action<SystemCommandOptions, [string | undefined]>(context, async ({ world, options }, path) => {
        const { withSession } = await import('../../app/session/session.js');
        const { dryActivateSystem } = await import('../../app/system/system-use-cases.js');
        const { refused } = await import('../../errors.js');
        const source = systemSourceOf(path, options, world.actor.host);
        const outcome = await withSession(world, options, (session) => dryActivateSystem(session, source, options), { access: 'write' });
        if (outcome === null) throw refused('GENLEDGER_NO_ACTIVATION_SCRIPT', 'the configuration has no bin/switch-to-configuration to dry-activate');
        if (outcome.status === 'failed') throw refused('GENLEDGER_ACTIVATION_FAILED', `switch-to-configuration dry-activate failed (exit ${outcome.exitCode ?? 'none'})`, 'its output is above');
      }),
    );

  system
    .command('observe-boot')
    .description("record a boot of the real root if the kernel's boot id changed since the last one recorded (for a boot-time unit)")
    .option('--root <dir>', 'the real root (default: / with --store nix)')
    .action(
      action<SystemCommandOptions, []>(context, async ({ world, options }) => {
        const { withSession } = await import('../../app/session/session.js');
        const { observeBootCommand } = await import('../../app/system/boot-observation.js');
        const booted = await withSession(world, options, (session) => observeBootCommand(session, options.root), { access: 'write' });
        if (options.json) world.stdout.write(`${JSON.stringify({ booted })}\n`);
        else if (!options.quiet) world.stdout.write(booted === null ? 'no boot since the last one recorded\n' : `recorded the boot ${booted.bootId}: ${booted.generation === null ? (booted.bootedSystem ?? 'an unknown system') : `generation ${booted.generation}`}\n`);
      }),
    );

  mutating(system.command('reboot'))
    .description('record a reboot: the boot default boots and runs, a test activation is gone (simulated roots only)')
    .action(action<SystemCommandOptions, []>(context, (invocation) => runSystem(invocation, { kind: 'reboot' })));

  registerSystemReadCommands(system, context);
}
