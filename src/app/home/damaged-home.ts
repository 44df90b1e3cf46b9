/**
 * The step `recover` takes before it opens a session: deciding that the
 * home's database needs recovering, and moving the damaged state aside.
 * Nothing is deleted: `<home>/db` becomes `<home>/db.damaged-<UTC time>`
 * and the ledger head file `ledger-head.json.damaged-<UTC time>`, after the
 * head file was read (it says how many events the ledger had). The database
 * is inspected holding its lock, so a running command is waited for
 * (--lock-timeout), never pulled from under it.
 *
 * A database needs recovering when it is missing, cannot be opened, holds
 * a log that does not verify, holds fewer events than the head file
 * recorded or another last entry, or is empty while the home has profiles
 * or store paths (a database silently started afresh). Any other database
 * is healthy: recovering it is refused unless forced.
 *
 * `putBackDamagedState` undoes the move after a failed recovery: the
 * fresh database is removed and the old one and its head file come back,
 * so a failed recovery leaves the home as it found it.
 */
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { GlobalOptions } from '../session/session-options.js';
import { ExitCode, isGenledgerError, refused } from '../../errors.js';
import { databaseFilesProblem } from '../../ledger/database-files.js';
import { damagedTable } from '../../ledger/database-tables.js';
import { translateLevelError } from '../../ledger/level-errors.js';
import { createLevelLedger } from '../../ledger/level-ledger.js';
import type { LogHead } from '../../ledger/log-entry.js';
import { listNames } from '../../fsx/list-names.js';
import type { World } from '../../world.js';
import { findDiskProfiles } from '../profile/disk-profiles.js';
import { ledgerHeadFile, readHeadFile } from '../../ledger/ledger-head-file.js';
import { logSeals } from './log-seals.js';
import type { StateHome } from '../session/state-home.js';
import { openHomeDatabase } from '../session/home-database.js';

export interface SetAside {
  /** Why the database needed recovering, in a few words. */
  readonly reason: string;
  /** Where the old database now is, or null when there was none. */
  readonly damagedDb: string | null;
  /** Where the old head file now is, or null when there was none. */
  readonly damagedHeadFile: string | null;
  /** What the old head file recorded: the old ledger's last seq and entry hash. */
  readonly head: LogHead | null;
}

export async function setAsideDamagedState(home: StateHome, world: World, options: GlobalOptions, force: boolean): Promise<SetAside> {
  const headFile = ledgerHeadFile(home.root);
  const head = readableHead(headFile);
  const damage = await diagnose(home, world, options, head);
  if (damage === null && !force) {
    throw refused(
      'GENLEDGER_NOTHING_TO_RECOVER',
      `nothing to recover: the database of ${home.root} opens, its log verifies${head === null ? '' : ' and matches ledger-head.json'}`,
      'to rebuild it anyway (it is kept as db.damaged-<time>), run genledger recover --force',
    );
  }
  const suffix = `.damaged-${utcStamp(world.now())}`;
  const damagedDb = moveAside(home.db, suffix);
  const damagedHeadFile = moveAside(headFile, suffix);
  return { reason: damage ?? 'forced', damagedDb, damagedHeadFile, head };
}

export function putBackDamagedState(home: StateHome, setAside: SetAside): void {
  rmSync(home.db, { recursive: true, force: true });
  if (setAside.damagedDb !== null) renameSync(setAside.damagedDb, home.db);
  const headFile = ledgerHeadFile(home.root);
  rmSync(headFile, { force: true });
  if (setAside.damagedHeadFile !== null) renameSync(setAside.damagedHeadFile, headFile);
}

/** What the old head file says, if it can be read: a damaged one only informs the report, it does not stop a recovery. */
function readableHead(path: string): LogHead | null {
  try {
    const head = readHeadFile(path);
    return head === null || head.hash === null ? null : { seq: head.seq, hash: head.hash };
  } catch {
    return null;
  }
}

/** What is wrong with the database, or null when it is healthy. */
async function diagnose(home: StateHome, world: World, options: GlobalOptions, head: LogHead | null): Promise<string | null> {
  if (!existsSync(home.db)) return 'the database is missing';
  const files = databaseFilesProblem(home.db);
  if (files !== null) return `the database cannot be opened (${files})`;
  const current = currentFileProblem(home.db);
  if (current !== null) return `the database cannot be opened (${current})`;
  // Judged without recording sound tables: a damaged database moves aside exactly as it was.
  const table = damagedTable(home.db, { remember: false });
  if (table !== null) return `the database cannot be opened (${table})`;
  let database;
  try {
    database = await openHomeDatabase(world, options, home.db, false);
  } catch (error) {
    if (isGenledgerError(error) && error.exitCode !== ExitCode.lockTimeout) return `the database cannot be opened (${error.message})`;
    throw error;
  }
  try {
    const seals = await logSeals(createLevelLedger(database.db), head?.seq ?? null);
    if (head !== null && head.seq > 0 && seals.at?.hash !== head.hash) {
      return seals.at === null
        ? `the database holds ${seals.head?.seq ?? 0} events, but ledger-head.json says the ledger had ${head.seq}`
        : `log entry ${head.seq} is not the one ledger-head.json recorded`;
    }
    if (seals.head === null && homeHasContents(home)) return 'the database is empty, but the home has profiles or store paths';
    return null;
  } catch (caught) {
    const error = translateLevelError(caught, 'read the log');
    if (isGenledgerError(error)) return `the log does not verify (${error.message})`;
    throw error;
  } finally {
    await database.close();
  }
}

/**
 * LevelDB's CURRENT file (a regular file: databaseFilesProblem said so)
 * names the manifest to open; when it does not, the
 * database cannot be opened, and trying would only rewrite its LOG: it is
 * judged without being touched, so it moves aside exactly as it was.
 */
function currentFileProblem(db: string): string | null {
  let text: string;
  try {
    text = readFileSync(join(db, 'CURRENT'), 'latin1');
  } catch (error) {
    return `its CURRENT file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  const manifest = /^(MANIFEST-\d+)\n$/.exec(text)?.[1];
  if (manifest === undefined) return 'its CURRENT file does not name a manifest';
  return existsSync(join(db, manifest)) ? null : `its CURRENT file names ${manifest}, which is missing`;
}

function homeHasContents(home: StateHome): boolean {
  return findDiskProfiles(home).length > 0 || listNames(`${home.root}/store`).some((name) => !name.startsWith('.'));
}

/** Renames `path` to `path + suffix` (then `-2`, `-3`, … if taken); null when there is nothing at `path`. */
function moveAside(path: string, suffix: string): string | null {
  if (!existsSync(path)) return null;
  let target = `${path}${suffix}`;
  for (let n = 2; existsSync(target); n++) target = `${path}${suffix}-${n}`;
  renameSync(path, target);
  return target;
}

function utcStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}
