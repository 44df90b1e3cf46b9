/**
 * One command's access to a state home: the database (held, with its lock,
 * for the whole command), the store it records, and the ledger. Opening is
 * bounded by --lock-timeout and says whom it waits for.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GlobalOptions } from './session-options.js';
import { faultInjector } from '../../fault-injection.js';
import { translateLevelError } from '../../ledger/level-errors.js';
import { isGenledgerError } from '../../errors.js';
import { homeMarkerPath } from './home-marker.js';
import { createLevelLedger } from '../../ledger/level-ledger.js';
import { EmbeddedStore } from '../../store/embedded/embedded-store.js';
import { PathInfoDb } from '../../store/path-info-db.js';
import { NixDaemonStore } from '../../store/nix/nix-daemon-store.js';
import { NixDaemonClient } from '../../store/nix/nix-daemon-client.js';
import type { Store } from '../../store/store.js';
import type { World } from '../../world.js';
import type { Session } from './session-context.js';
import { committingTo, ledgerHeadFile } from '../../ledger/ledger-head-file.js';
import { databaseMayBeCreated, settleHome } from './home-guard.js';
import type { HomeCheck } from './home-guard.js';
import { resolveStateHome } from './state-home.js';
import { catchUpProjections, recordCheckpoint } from './catch-up.js';
import { observeBootOnRecordedRoot } from '../system/boot-observation.js';
import { configuredSigner } from './event-signing-key.js';
import { quarantineMask } from '../home/quarantine-store.js';
import { flaggedStore, resolveStore } from './store-config.js';
import { keepStoreRecordCopy } from './store-record-copy.js';
import { claimStore } from './store-claim.js';
import { storeFirstLedger } from './store-first-ledger.js';
import { syncFileSystems } from '../../fsx/sync-file-system.js';
import { terminalProgress } from './progress.js';
import { openHomeDatabase } from './home-database.js';
import { runUnlocked } from './unlocked-work.js';
import { homeExists, homeReadOnly, homeWritable, requireReadable } from './home-access.js';
import { noHomeRefusal } from './no-home-refusal.js';
import type { HomeAccess } from './home-access.js';
import { homeWasNew, noteHomeBefore, undoNewHomeIfEmpty } from './first-command-undo.js';
import { copyDatabase } from './database-copy.js';
import type { StateHome } from './state-home.js';
import { lockTimeoutMs } from './session-options.js';

export interface SessionMode {
  /**
   * What the command does to the home (home-access.ts): `read` commands
   * need an existing home and may read one this user cannot write (from a
   * copy of its database); `write` commands create a home, and remove it
   * again when they fail before appending an event.
   */
  readonly access: HomeAccess;
  /**
   * Bring the disk up to the log before running, and record the checkpoint
   * after a successful run (default, but for dry runs). `verify` and dry
   * runs look at the home exactly as they find it, and so does any command
   * on a home this user cannot write.
   */
  readonly project?: boolean;
  /**
   * How findings about the home are handled (home-guard.ts): `enforce` by
   * default; `inspect` for verify; `relocate` for relocate. `recover` is the
   * contract with genledger recover: the session opens a home whose
   * database is missing (creating it empty) or whose log lost committed
   * events or holds an uncommitted tail, changes none of it, and hands those
   * findings over in `session.homeStatus`; every append it makes is
   * committed to the head file as usual. A database LevelDB cannot open
   * still fails (GENLEDGER_DB_CORRUPT): recover moves it aside first.
   */
  readonly check?: HomeCheck;
}

export async function withSession<T>(world: World, options: GlobalOptions & { dryRun?: boolean }, run: (session: Session) => Promise<T>, mode: SessionMode): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sessionOnce(world, options, run, mode);
    } catch (error) {
      // Another command's failed first command took the new home back while this one was opening it: start again.
      if (attempt < 3 && takenBackMeanwhile(error, resolveStateHome(options.home, world))) continue;
      throw error;
    }
  }
}

/**
 * Whether the database could not be opened because the home it belonged to
 * is gone: no database, no home marker (first-command-undo.ts takes both
 * back at once). A damaged or lost database of a home that stays keeps
 * its marker, and its error.
 */
function takenBackMeanwhile(error: unknown, home: StateHome): boolean {
  if (!isGenledgerError(error) || (error.code !== 'GENLEDGER_DB_CORRUPT' && error.code !== 'GENLEDGER_DB_MISSING')) return false;
  return !existsSync(join(home.db, 'CURRENT')) && !existsSync(homeMarkerPath(home.root));
}

async function sessionOnce<T>(world: World, options: GlobalOptions & { dryRun?: boolean }, run: (session: Session) => Promise<T>, mode: SessionMode): Promise<T> {
  const home = resolveStateHome(options.home, world);
  const signer = configuredSigner(options.signKey, world);
  const placed = flaggedStore(options, home.root, world.cwd, world.env);
  if (mode.access === 'read' && !homeExists(home)) throw noHomeRefusal(home, options, placed, world.pid);
  const readOnly = !homeWritable(home);
  if (readOnly && mode.access === 'write') throw homeReadOnly(home);
  if (readOnly) requireReadable(home);
  const before = mode.access === 'write' ? noteHomeBefore(home.root) : null;
  const claimsWritten: string[] = [];
  try {
    return await openSession(world, options, run, { ...mode, project: !readOnly && (mode.project ?? options.dryRun !== true) }, home, signer, readOnly, claimsWritten);
  } catch (error) {
    if (mode.access === 'write' && homeWasNew(before) && !takenBackMeanwhile(error, home)) await undoNewHomeIfEmpty(world, options, home, before, claimsWritten);
    throw error;
  }
}

async function openSession<T>(world: World, options: GlobalOptions & { dryRun?: boolean }, run: (session: Session) => Promise<T>, mode: SessionMode & { readonly project: boolean }, home: StateHome, signer: ReturnType<typeof configuredSigner>, readOnly: boolean, claimsWritten: string[]): Promise<T> {
  const check = mode.check ?? 'enforce';
  const mayCreate = databaseMayBeCreated(home, check);
  const copy = readOnly ? await copyDatabase(home.db, ledgerHeadFile(home.root), { timeoutMs: lockTimeoutMs(options), sleep: world.sleep }) : undefined;
  if (copy === undefined) mkdirSync(home.root, { recursive: true, mode: 0o700 });
  const database = await openHomeDatabase(world, options, copy?.db ?? home.db, mayCreate && copy === undefined).catch((error: unknown) => {
    copy?.remove();
    throw error;
  });
  const writes = options.dryRun !== true && copy === undefined && (check === 'enforce' || check === 'recover');
  const progress = terminalProgress(world, options.quiet === true);
  const unlocked: Array<() => Promise<void>> = [];
  const stores: Store[] = [];
  let result: T;
  try {
    const homeStatus = await settleHome(world, home, database, check, copy);
    const choice = await resolveStore(database.db, home.root, options, world.cwd, world.env);
    if (writes) keepStoreRecordCopy(home.root, choice.config);
    const { location } = choice;
    const claimed = choice.kind === 'embedded' ? claimStore({ root: home.root, ...(homeStatus.marker === null ? {} : { id: homeStatus.marker.id }) }, location, { pid: world.pid, write: writes }) : null;
    if (claimed !== null) claimsWritten.push(claimed);
    const store: Store =
      choice.kind === 'nix'
        ? new NixDaemonStore(choice.target, location, () => NixDaemonClient.connect(choice.target))
        : new EmbeddedStore(location, new PathInfoDb(database.db, () => syncFileSystems([location.physicalDir])));
    stores.push(store);
    const commit = committingTo(ledgerHeadFile(home.root));
    const mask = await quarantineMask(database);
    const ledger = storeFirstLedger(createLevelLedger(database.db, { commit, ...(signer === undefined ? {} : { signer }), ...(mask === undefined ? {} : { mask }) }), store, world.interruption);
    const faults = faultInjector(world.env.GENLEDGER_FAULT, world.env.GENLEDGER_FAULT_PAUSE);
    const afterUnlock = (work: () => Promise<void>) => void unlocked.push(work);
    const session: Session = { world, options, home, database, ledger, store, nix: choice.kind === 'nix' ? choice.target : null, faults, diskAtHead: false, progress, afterUnlock, homeStatus, unlocked: (work) => runUnlocked(session, check, mode.project, work) };
    if (mode.project) session.diskAtHead = await catchUpProjections(session);
    if (mode.project && mode.access === 'write' && (mode.check ?? 'enforce') === 'enforce') await observeBootOnRecordedRoot(session);
    // Paths added but named by no event (store add, a failed command) are registered, synced, at the end.
    result = await run(session).catch(async (error: unknown) => {
      await store.commit({ sync: true }).then(() => store.releaseTempRoots(world.pid), () => undefined);
      throw error;
    });
    await store.commit({ sync: true });
    store.releaseTempRoots(world.pid);
    if (mode.project) await recordCheckpoint(session);
  } catch (error) {
    // A read deep in a command that met damage LevelDB detects only then (a bad block, a table cut short).
    throw translateLevelError(error, 'read or write the database');
  } finally {
    progress.clear();
    for (const store of stores) await store.close();
    await database.close();
    copy?.remove();
  }
  try {
    for (const work of unlocked) await work();
  } finally {
    progress.clear();
  }
  return result;
}
