/**
 * `genledger recover`: the documented recovery of a home whose database was
 * lost or damaged. The damaged state is moved aside before the session
 * opens a fresh database; if the recovery then fails, the fresh database is
 * removed and the old state put back, so the home is as it was found. The
 * report (what came back, what was lost) goes to stdout.
 */
import type { Command } from 'commander';
import type { RecoveryReport } from '../../app/home/recover.js';
import type { World } from '../../world.js';
import { action } from '../invocation.js';
import type { CliContext } from '../invocation.js';

interface RecoverFlags {
  fromBackup?: string[];
  fromBundle?: string[];
  force?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerRecoverCommand(program: Command, context: CliContext): void {
  program
    .command('recover')
    .description('rebuild a home whose database is lost or damaged, from backups, bundles and what is on disk; the old database is kept aside')
    .option('--from-backup <dir>', 'a copy of an earlier <home>/db: its events come back verbatim (repeatable)', collect)
    .option('--from-bundle <dir>', 'a bundle written by genledger export: its events, and with --with-store its store paths (repeatable)', collect)
    .option('--force', 'rebuild even a database that looks healthy (it is kept aside too)')
    .action(
      action<RecoverFlags, []>(context, async ({ world, options }) => {
        const { resolve } = await import('node:path');
        const { resolveStateHome } = await import('../../app/session/state-home.js');
        const { requireDirectory } = await import('../../app/home/backup-events.js');
        const { putBackDamagedState, setAsideDamagedState } = await import('../../app/home/damaged-home.js');
        const { withSession } = await import('../../app/session/session.js');
        const { recoverHome } = await import('../../app/home/recover.js');
        const sources = { backups: (options.fromBackup ?? []).map((dir) => resolve(world.cwd, dir)), bundles: (options.fromBundle ?? []).map((dir) => resolve(world.cwd, dir)) };
        for (const dir of sources.backups) requireDirectory(dir, 'backup');
        for (const dir of sources.bundles) requireDirectory(dir, 'bundle');
        const home = resolveStateHome(options.home, world);
        const setAside = await setAsideDamagedState(home, world, options, options.force === true);
        let report: RecoveryReport;
        try {
          report = await withSession(world, options, (session) => recoverHome(session, setAside, sources), { access: 'write', project: false, check: 'recover' });
        } catch (error) {
          putBackDamagedState(home, setAside);
          throw error;
        }
        if (options.json) world.stdout.write(`${JSON.stringify(report)}\n`);
        else reportRecovery(world, report);
      }),
    );
}

function reportRecovery(world: World, report: RecoveryReport): void {
  const out = (line: string) => world.stdout.write(`${line}\n`);
  out(`recovered: ${report.reason}`);
  if (report.setAside.db !== null) out(`the old database is kept at ${report.setAside.db}`);
  const { before, recovered, lost } = report;
  const from = `recovered ${recovered.events} from backups and bundles`;
  if (before === null || lost === null) out(`the ledger's size before is unknown (there was no ledger-head.json); ${from}`);
  else out(`the ledger had ${before.seq} events; ${from}; ${lost.events === 0 ? 'lost none' : `lost ${lost.events} events${lost.seqs === null ? '' : ` (seq ${lost.seqs[0]}..${lost.seqs[1]})`}`}`);
  const { rebuiltFromDisk, changedOnDisk } = report.profiles;
  if (rebuiltFromDisk.length > 0) out(`rebuilt from disk (history before the recovery is not known): ${rebuiltFromDisk.join(', ')}`);
  if (changedOnDisk.length > 0) out(`recorded changes found on disk after the source was made: ${changedOnDisk.join(', ')}`);
  out(`re-registered ${report.store.reregistered} store paths from disk`);
  for (const { path, problem } of report.store.unreadable) out(`warning: store entry ${path} was left unregistered: ${problem}`);
  for (const { profile, generation, path } of report.missing) out(`warning: generation ${generation} of '${profile}' needs ${path}, which nothing brought back`);
}
