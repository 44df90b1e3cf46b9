/**
 * What a session checks about its home before it trusts the database, so
 * that nothing appended is ever lost:
 *
 * - before opening: a home that has a ledger on disk (a marker, a head
 *   file, profiles, store entries, database files) is opened without
 *   `createIfMissing`, and refused (GENLEDGER_DB_MISSING) when its
 *   database is gone: LevelDB would start an empty one, and gc would then
 *   delete every store path;
 * - after opening: the home is where its marker says (else
 *   GENLEDGER_HOME_MOVED), and the database's log agrees with the ledger
 *   head file (else GENLEDGER_LEDGER_TRUNCATED; an uncommitted tail is
 *   discarded); a missing marker or head file is written from what is
 *   found (trust on first use).
 *
 * The check mode says what a finding does: `enforce` (every ordinary
 * command) refuses or repairs as above; `inspect` (verify) and `relocate`
 * change nothing and hand the findings back; `recover` (genledger
 * recover) is let through a missing database, which it gets created empty,
 * and through a truncated or uncommitted log, which it gets as findings to
 * rebuild from. A home moved or copied is refused in every mode but
 * `relocate`, and a database LevelDB cannot open fails in every mode (a
 * recovery moves it aside first).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { refused } from '../../errors.js';
import type { GenledgerError } from '../../errors.js';
import { compareWithHeadFile, databaseHead, discardUncommitted, lostEventsError } from '../../ledger/committed-head.js';
import type { Database } from '../../ledger/database.js';
import { databaseMissing } from '../../ledger/database.js';
import { ledgerHeadFile, readHeadFile, writeHeadFile } from '../../ledger/ledger-head-file.js';
import type { CommittedHead } from '../../ledger/ledger-head-file.js';
import type { World } from '../../world.js';
import { clearCheckpoint } from './checkpoint.js';
import { newHomeMarker, readHomeMarker, writeHomeMarker } from './home-marker.js';
import type { HomeMarker } from './home-marker.js';
import type { StateHome } from './state-home.js';
import { readStoreConfig } from './store-config.js';
import type { StoreConfig } from './store-config.js';

export type HomeCheck = 'enforce' | 'inspect' | 'recover' | 'relocate';

export interface HomeFinding {
  readonly kind: 'home-moved' | 'database-missing' | 'database-corrupt' | 'ledger-truncated' | 'uncommitted';
  readonly message: string;
}

/** What a session knows about its home once open. */
export interface HomeStatus {
  readonly marker: HomeMarker | null;
  readonly findings: readonly HomeFinding[];
}

/**
 * Files LevelDB keeps in a database directory that hold no records, and
 * those it writes while it creates a database, before CURRENT exists: a
 * command that finds them may be watching another one create the home.
 */
const emptyDatabaseFiles = /^(LOCK|LOG|LOG\.old|MANIFEST-\d+|\d+\.dbtmp)$/;

/** Whether the database may be created: only for a brand-new home (or a recovery). Throws GENLEDGER_DB_MISSING. */
export function databaseMayBeCreated(home: StateHome, check: HomeCheck): boolean {
  if (!hasLedgerOnDisk(home)) return true;
  if (existsSync(join(home.db, 'CURRENT'))) return false;
  if (check === 'recover') return true;
  throw databaseMissing(home.db);
}

/** Whether a ledger was ever started at this home (a marker, a head file, profiles, store entries or database records). */
export function hasLedgerOnDisk(home: StateHome): boolean {
  if (existsSync(join(home.root, 'home.json')) || existsSync(ledgerHeadFile(home.root)) || existsSync(home.profiles)) return true;
  if (entries(join(home.root, 'store')).length > 0) return true;
  return entries(home.db).some((name) => !emptyDatabaseFiles.test(name));
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * `copy`: the database is a private copy of a home this user may not write
 * (database-copy.ts), checked against the head file taken with it; the
 * findings are handled as `check` says, but nothing is written to the home
 * (an uncommitted tail is discarded from the copy alone, silently).
 */
export async function settleHome(world: World, home: StateHome, database: Database, check: HomeCheck, copy?: { readonly committed: CommittedHead | null }): Promise<HomeStatus> {
  const marker = readHomeMarker(home.root);
  if (marker !== null && marker.root !== home.root && check !== 'relocate') throw homeMoved(marker, home, await readStoreConfig(database.db));
  const findings: HomeFinding[] = [];
  const headFile = ledgerHeadFile(home.root);
  const committed = copy === undefined ? readHeadFile(headFile) : copy.committed;
  if (committed === null) {
    if (check !== 'inspect' && copy === undefined) writeHeadFile(headFile, await databaseHead(database.db));
  } else {
    const comparison = await compareWithHeadFile(database.db, committed);
    if (comparison.kind === 'truncated' || comparison.kind === 'diverged') {
      if (check === 'enforce') throw lostEventsError(comparison);
      findings.push({ kind: 'ledger-truncated', message: lostEventsError(comparison).message });
    } else if (comparison.kind === 'uncommitted') {
      const count = comparison.held - comparison.committed.seq;
      if (check === 'enforce') {
        await discardUncommitted(database.db, comparison.committed);
        await clearCheckpoint(database);
        if (copy === undefined) world.stderr.write(`genledger: discarded ${count} ${count === 1 ? 'event' : 'events'} whose append did not complete\n`);
      } else {
        findings.push({ kind: 'uncommitted', message: `the database holds ${count} ${count === 1 ? 'event' : 'events'} beyond the ledger head file (seq ${comparison.committed.seq}) whose append did not complete; the next command discards them` });
      }
    }
  }
  if (marker !== null || check === 'inspect' || copy !== undefined) return { marker, findings };
  const written = newHomeMarker(home.root);
  writeHomeMarker(home.root, written);
  return { marker: written, findings };
}

/** Whether the store lies inside the home at `root`, so that its paths (or its records) name that root. */
export function storeInsideHome(config: StoreConfig | null, root: string): boolean {
  if (config === null) return true;
  const inside = (path: string | null) => path !== null && (path === root || path.startsWith(`${root}/`));
  return inside(config.storeDir) || inside(config.storeRoot);
}

export function homeMoved(marker: HomeMarker, home: StateHome, config: StoreConfig | null): GenledgerError {
  const hint = storeInsideHome(config, marker.root)
    ? `its store lies inside the home, and a store's paths hash its directory, so it can never move; move it back to ${marker.root}, or export the profiles (genledger export) and import them into a new home`
    : `if it was moved (not copied), run genledger relocate to record the new place`;
  return refused('GENLEDGER_HOME_MOVED', `this home was created at ${marker.root} and is now at ${home.root}`, hint);
}
