/**
 * `genledger store …`: add, info, closure, verify — the Nix store commands
 * genledger mirrors (`nix-store --add`, `nix path-info`, `nix-store -qR`,
 * `nix-store --verify`).
 */
import type { Command } from 'commander';
import { ExitCode, usageError } from '../../errors.js';
import { action } from '../invocation.js';
import type { CliContext } from '../invocation.js';

export function registerStoreCommands(program: Command, context: CliContext): void {
  const store = program.command('store').description('the content-addressed store');

  store
    .command('add')
    .description('add paths to the store and print their store paths (as nix-store --add)')
    .argument('<path...>', 'files or directories to add')
    .option('--name <name>', 'store path name (default: the last path component)')
    .option('--scan-references', 'record references to valid store paths found in the contents')
    .action(
      action<{ name?: string; scanReferences?: boolean }, [string[]]>(context, async ({ world, options }, paths) => {
        if (options.name !== undefined && paths.length > 1) {
          throw usageError('GENLEDGER_BAD_OPTION', '--name applies to one path only', 'add the paths one by one');
        }
        const { withSession } = await import('../../app/session/session.js');
        const { addPaths } = await import('../../app/store/store-use-cases.js');
        const added = await withSession(world, options, (session) => addPaths(session, paths, options), { access: 'write' });
        for (const info of added) world.stdout.write(`${info.path}\n`);
      }),
    );

  store
    .command('info')
    .description('NAR hash, size and references of store paths (as nix path-info)')
    .argument('<path...>', 'store paths, or links into the store')
    .action(
      action<object, [string[]]>(context, async ({ world, options }, paths) => {
        const { withSession } = await import('../../app/session/session.js');
        const { pathInfos } = await import('../../app/store/store-use-cases.js');
        const { pathInfoJson } = await import('../../store/path-info.js');
        // Ordered by path, as nix path-info orders them (it answers for a set of paths).
        const infos = await withSession(world, options, (session) => pathInfos(session, paths), { access: 'read' });
        if (options.json) {
          world.stdout.write(`${JSON.stringify(infos.map(pathInfoJson))}\n`);
          return;
        }
        for (const info of infos) {
          world.stdout.write(`${info.path}\n  narHash:    ${info.narHash.toSRI()}\n  narSize:    ${info.narSize}\n`);
          world.stdout.write(`  references: ${info.references.length === 0 ? '(none)' : info.references.join('\n              ')}\n`);
          if (info.ca !== null) world.stdout.write(`  ca:         ${info.ca}\n`);
        }
      }),
    );

  store
    .command('closure')
    .description('the requisites of store paths, dependencies first (as nix-store -qR)')
    .argument('<path...>', 'store paths, or links into the store')
    .action(
      action<object, [string[]]>(context, async ({ world, options }, paths) => {
        const { withSession } = await import('../../app/session/session.js');
        const { closure } = await import('../../app/store/store-use-cases.js');
        const requisites = await withSession(world, options, (session) => closure(session, paths), { access: 'read' });
        world.stdout.write(options.json ? `${JSON.stringify(requisites)}\n` : requisites.map((p) => `${p}\n`).join(''));
      }),
    );

  store
    .command('verify')
    .description('check that every valid path exists (and, with --contents, hashes as recorded)')
    .option('--contents', 're-hash every path')
    .action(
      action<{ contents?: boolean }, []>(context, async ({ world, options }) => {
        const { withSession } = await import('../../app/session/session.js');
        const { verify } = await import('../../app/store/store-use-cases.js');
        const report = await withSession(world, options, (session) => verify(session, options.contents === true), { access: 'read' });
        if (options.json) world.stdout.write(`${JSON.stringify(report)}\n`);
        else {
          for (const problem of report.problems) world.stderr.write(`genledger: ${problem.message}\n`);
          if (!options.quiet) world.stdout.write(`checked ${report.checked} paths, ${report.problems.length} problems\n`);
        }
        return report.problems.length === 0 ? ExitCode.ok : ExitCode.integrity;
      }),
    );
}
