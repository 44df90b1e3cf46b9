/**
 * One command's access to a state home: the database (held, with its lock,
 * for the whole command), the store it records, and the ledger. Opening is
 * bounded by --lock-timeout and says whom it waits for.
 */
import { mkdirSync } from 'node:fs';
import type { GlobalOptions } from '../cli/global-options.js';
import { faultInjector } from '../fault-injection.js';
import type { FaultInjector } from '../fault-injection.js';
import { lockTimeoutMs } from '../cli/global-options.js';
import { openDatabase } from '../ledger/database.js';
import type { Database } from '../ledger/database.js';
import type { Ledger } from '../ledger/ledger.js';
import { createLevelLedger } from '../ledger/level-ledger.js';
import { LocalStore } from '../store/local-store.js';
import { PathInfoDb } from '../store/path-info-db.js';
import type { World } from '../world.js';
import { resolveStateHome } from './state-home.js';
import type { StateHome } from './state-home.js';
import { catchUpProjections, recordCheckpoint } from './catch-up.js';
import { configuredSigner } from './event-signing-key.js';
import { quarantineMask } from './quarantine-store.js';
import { resolveStore } from './store-config.js';
import { terminalProgress } from './progress.js';
import type { Progress } from './progress.js';

export interface Session {
  world: World;
  options: GlobalOptions;
  home: StateHome;
  database: Database;
  ledger: Ledger;
  store: LocalStore;
  /** Test-only crash points (GENLEDGER_FAULT); does nothing when unset. */
  faults: FaultInjector;
  /**
   * The disk held the projection of the whole log when the command began
   * (the checkpoint said so, or catch-up brought it there), so a change can
   * be planned from the state alone. False for dry runs and verify, which
   * do not catch up, and when catching up failed.
   */
  diskAtHead: boolean;
  /** Long work's progress: a line on a terminal, nothing otherwise or with --quiet. */
  progress: Progress;
}

export interface SessionMode {
  /**
   * Bring the disk up to the log before running, and record the checkpoint
   * after a successful run (default). `verify` and dry runs look at the home
   * exactly as they find it.
   */
  readonly project: boolean;
}

export async function withSession<T>(
  world: World,
  options: GlobalOptions & { dryRun?: boolean },
  run: (session: Session) => Promise<T>,
  mode: SessionMode = { project: options.dryRun !== true },
): Promise<T> {
  const home = resolveStateHome(options.home, world);
  const signer = configuredSigner(options.signKey, world);
  mkdirSync(home.root, { recursive: true, mode: 0o700 });
  const database = await openDatabase({
    dir: home.db,
    lockTimeoutMs: lockTimeoutMs(options),
    holder: { pid: world.pid, user: world.actor.user, command: ['genledger', ...world.argv].join(' '), since: world.now().toISOString() },
    onWaiting: (holder) => {
      if (!options.quiet) world.stderr.write(`genledger: waiting for the database lock held by ${holder}\n`);
    },
    sleep: world.sleep,
  });
  const progress = terminalProgress(world, options.quiet === true);
  try {
    const location = await resolveStore(database.db, home.root, options, world.cwd);
    const store = new LocalStore(location, new PathInfoDb(database.db));
    const mask = await quarantineMask(database);
    const ledger = createLevelLedger(database.db, { ...(signer === undefined ? {} : { signer }), ...(mask === undefined ? {} : { mask }) });
    const session: Session = { world, options, home, database, ledger, store, faults: faultInjector(world.env.GENLEDGER_FAULT), diskAtHead: false, progress };
    if (mode.project) session.diskAtHead = await catchUpProjections(session);
    const result = await run(session);
    if (mode.project) await recordCheckpoint(session);
    return result;
  } finally {
    progress.clear();
    await database.close();
  }
}
