/**
 * `genledger verify` on a home the ordinary session refuses: a database
 * that is missing (`database-missing`) or damaged, that LevelDB cannot
 * open or read (`database-corrupt`), or a home moved from where
 * it was created, is itself the report (exit 4), since nothing else can be
 * checked; a log that lost committed events or holds an uncommitted tail
 * is reported beside everything else verify checks (home-guard.ts, in
 * `inspect` mode, changes nothing, so verify never discards that tail).
 */
import type { GlobalOptions } from '../session/session-options.js';
import { isGenledgerError } from '../../errors.js';
import type { World } from '../../world.js';
import type { HomeFinding } from '../session/home-guard.js';
import { withSession } from '../session/session.js';
import { verifyEverything, verifyReport } from './verify.js';
import type { VerifyReport } from './verify.js';

const refusalKinds: Readonly<Record<string, HomeFinding['kind']>> = {
  GENLEDGER_HOME_MOVED: 'home-moved',
  GENLEDGER_DB_MISSING: 'database-missing',
  GENLEDGER_DB_CORRUPT: 'database-corrupt',
  GENLEDGER_HEAD_FILE_CORRUPT: 'ledger-truncated',
};

export async function verifyHome(world: World, options: GlobalOptions, trustedKeyFiles: readonly string[]): Promise<VerifyReport> {
  try {
    return await withSession(world, options, (session) => verifyEverything(session, trustedKeyFiles), { access: 'read', project: false, check: 'inspect' });
  } catch (error) {
    const kind = isGenledgerError(error) ? refusalKinds[error.code] : undefined;
    if (kind === undefined || !isGenledgerError(error)) throw error;
    return verifyReport({ eventsChecked: 0, storePathsChecked: 0, profilesChecked: 0, warnings: [] }, [{ kind, message: error.message }]);
  }
}
