/**
 * What a command's use case is handed: one open state home (its database,
 * held with its lock for the whole command, the store it records, and the
 * ledger) and the command's world. A module of its own, apart from
 * withSession (session.ts), so that the machinery a session runs when it
 * opens (catch-up, replay) can name it without importing the opener back.
 */
import type { GlobalOptions } from './session-options.js';
import type { FaultInjector } from '../../fault-injection.js';
import type { Database } from '../../ledger/database.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { Store } from '../../store/store.js';
import type { NixStoreTarget } from '../../store/nix/nix-store-target.js';
import type { World } from '../../world.js';
import type { HomeStatus } from './home-guard.js';
import type { Progress } from './progress.js';
import type { StateHome } from './state-home.js';

export interface Session {
  world: World;
  options: GlobalOptions;
  home: StateHome;
  database: Database;
  ledger: Ledger;
  store: Store;
  /** The Nix installation the store belongs to (`--store nix`), or null on the embedded store. */
  nix: NixStoreTarget | null;
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
  /**
   * Queues long file-system work that needs no database lock (emptying gc's
   * trash): it runs after a successful run, once the database is closed, so
   * readers are not kept waiting behind it.
   */
  afterUnlock(work: () => Promise<void>): void;
  /**
   * Runs file-system work that needs no database with the lock given up,
   * then takes it back (unlocked-work.ts); what was read before is stale.
   */
  unlocked<T>(work: () => Promise<T>): Promise<T>;
  /** The home's marker and what the checks of home-guard.ts found (only outside `enforce`, which refuses instead). */
  homeStatus: HomeStatus;
}
