/**
 * Finishing interrupted projections. Every command that appends also
 * projects; if a process died in between (or the checkpoint was lost), the
 * log is ahead of the disk. Before a command works on the home, the
 * projection is brought up to the log, and afterwards the checkpoint
 * records how far the disk now reflects it. The checkpoint is a cache:
 * without it, everything is reconciled again, which changes nothing that
 * was right. A checkpoint that moves is recorded only after the links
 * written for it are synced: it must never claim links a power cut can
 * still take back (that would make the next command trust a stale disk).
 */
import { syncFileSystems } from '../../fsx/sync-file-system.js';
import { Interrupted } from '../../interruption.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import type { Session } from './session-context.js';

/** Brings the disk up to the log; true when it now holds the projection of the whole log. */
export async function catchUpProjections(session: Session): Promise<boolean> {
  const last = await session.ledger.lastSeq();
  const checkpoint = await readCheckpoint(session.database);
  if (last === 0 || (checkpoint !== null && checkpoint >= last)) return true;
  const interruption = session.world.interruption;
  const before = interruption === undefined ? null : { doing: interruption.doing, pending: interruption.pending };
  if (interruption !== undefined) Object.assign(interruption, { doing: 'finishing the projection of events recorded earlier', pending: true });
  try {
    // Loaded only when needed: most commands find the disk up to date.
    const { replay } = await import('./replay.js');
    await replay(session, { dryRun: false });
  } catch (error) {
    // A stop signal is the command's to report, not a failed projection.
    if (!(error instanceof Error) || error instanceof Interrupted) throw error;
    session.world.stderr.write(`genledger: warning: could not finish projecting the log (${error.message}); run genledger verify\n`);
    return false;
  }
  await recordCheckpoint(session);
  if (interruption !== undefined && before !== null) Object.assign(interruption, before);
  return true;
}

export async function recordCheckpoint(session: Pick<Session, 'database' | 'ledger' | 'home'>): Promise<void> {
  const last = await session.ledger.lastSeq();
  if ((await readCheckpoint(session.database)) === last) return;
  // An empty log has projected no links: nothing to sync for it.
  if (last > 0) syncFileSystems([session.home.root]);
  await writeCheckpoint(session.database, last);
}
