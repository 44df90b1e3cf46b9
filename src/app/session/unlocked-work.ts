/**
 * Giving the database lock up for long file-system work, so that readers
 * and other writers are not kept waiting behind it (a 40,000-entry profile
 * tree takes about half a second to write). The work must need nothing
 * from the database: it runs while the database is closed. Records the
 * session staged stay in memory, uncommitted, and anything it renamed into
 * the store is held by its temporary roots, so gc keeps it meanwhile.
 *
 * Taking the lock back waits as opening does and runs the same home checks
 * (another command may have committed events, or discarded an uncommitted
 * tail, meanwhile). Everything read from the database before is stale
 * afterwards: callers reload what they decide on. If the log moved, the
 * disk is brought up to it again (as at the start of a command), so the
 * session's `diskAtHead` stays true to its word.
 */
import { catchUpProjections } from './catch-up.js';
import { settleHome } from './home-guard.js';
import type { HomeCheck } from './home-guard.js';
import type { Session } from './session-context.js';

export async function runUnlocked<T>(session: Session, check: HomeCheck, project: boolean, work: () => Promise<T>): Promise<T> {
  const seq = await session.ledger.lastSeq();
  await session.database.close();
  let result: T;
  try {
    result = await work();
    session.faults.reach('before-relock');
  } finally {
    await session.database.reopen();
  }
  session.homeStatus = await settleHome(session.world, session.home, session.database, check);
  if (project && (await session.ledger.lastSeq()) !== seq) session.diskAtHead = await catchUpProjections(session);
  return result;
}
