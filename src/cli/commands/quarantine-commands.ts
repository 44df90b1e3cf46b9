/**
 * `genledger quarantine add STREAM [--from-version N]` and
 * `genledger quarantine list`: setting aside a profile stream's invalid
 * suffix (see app/home/quarantine.ts) and listing what is set aside.
 */
import type { Command } from 'commander';
import { usageError } from '../../errors.js';
import { action } from '../invocation.js';
import type { CliContext } from '../invocation.js';

export function registerQuarantineCommands(program: Command, context: CliContext): void {
  const quarantine = program.command('quarantine').description('set aside invalid events so the rest of the home works (kept, never deleted)');
  quarantine
    .command('add')
    .description("quarantine STREAM's events from its first invalid one (or from --from-version N) to its head")
    .argument('<stream>')
    .option('--from-version <n>', 'quarantine from this version on, whether or not it breaks a rule')
    .action(
      action<{ fromVersion?: string }, [string]>(context, async ({ world, options }, stream) => {
        if (options.fromVersion !== undefined && !/^[1-9]\d{0,15}$/.test(options.fromVersion)) throw usageError('GENLEDGER_BAD_OPTION', `--from-version takes a version number, not '${options.fromVersion}'`);
        const { withSession } = await import('../../app/session/session.js');
        const { quarantineStream } = await import('../../app/home/quarantine.js');
        // No catch-up first: the events being quarantined may be what makes projecting fail.
        const result = await withSession(world, options, (session) => quarantineStream(session, stream, options.fromVersion === undefined ? undefined : Number(options.fromVersion)), { access: 'write', project: false });
        if (options.json) {
          world.stdout.write(`${JSON.stringify({ stream: result.stream, quarantined: result.quarantined.map(({ version, type, hash, rule }) => ({ version, type, hash, rule })) })}\n`);
          return;
        }
        for (const entry of result.quarantined) world.stdout.write(`quarantined event ${entry.version} of '${entry.stream}' (${entry.type}): ${entry.rule}\n`);
      }),
    );
  quarantine
    .command('list')
    .description('list quarantined events')
    .action(
      action<object, []>(context, async ({ world, options }) => {
        const { withSession } = await import('../../app/session/session.js');
        const { listQuarantine } = await import('../../app/home/quarantine-store.js');
        const entries = await withSession(world, options, (session) => listQuarantine(session.database), { access: 'read', project: false });
        if (options.json) {
          world.stdout.write(`${JSON.stringify(entries.map(({ stream, version, type, hash, rule, quarantinedAt, by }) => ({ stream, version, type, hash, rule, quarantinedAt, by })))}\n`);
          return;
        }
        for (const entry of entries) world.stdout.write(`${entry.stream} ${entry.version} ${entry.type} ${entry.quarantinedAt} ${entry.by}: ${entry.rule}\n`);
      }),
    );
}
