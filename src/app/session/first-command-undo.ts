/**
 * Undoing the home a failed first command created. A mutating command
 * creates its home on the way in (the directory, the database, the store
 * record); if it then fails before it appended an event (a bad
 * installable, a bad store option), that home holds nothing anyone asked
 * for, and leaving it would turn the command's own hint ("run it again
 * with --store nix") into a GENLEDGER_STORE_MISMATCH. So what the command
 * created is removed again, and only that: the names found in the home's
 * directory before the command are never touched (a directory that
 * existed stays), and nothing is removed once the ledger holds an event.
 * The claim it wrote beside a store outside the home goes too, with the
 * directories it made for it: it names the removed home's marker, so it
 * would refuse the store to the next home made there
 * (GENLEDGER_STORE_CLAIMED).
 *
 * Another command may be waiting for the new home's database meanwhile.
 * So the ledger is found empty and the home taken back under the
 * database's lock, and what goes is first renamed out of the way in one
 * step, then deleted: a waiter never opens a database half deleted. It
 * finds the home gone, and the session starts it again, as the first
 * command of a new home.
 */
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { GlobalOptions } from './session-options.js';
import { databaseHead } from '../../ledger/committed-head.js';
import { ledgerHeadFile, readHeadFile } from '../../ledger/ledger-head-file.js';
import { removeTree } from '../../store/remove-tree.js';
import type { World } from '../../world.js';
import { openHomeDatabase } from './home-database.js';
import type { StateHome } from './state-home.js';

/** What the home's directory held before the command: null when it did not exist. */
export type HomeBefore = ReadonlySet<string> | null;

export function noteHomeBefore(root: string): HomeBefore {
  return existsSync(root) ? new Set(readdirSync(root)) : null;
}

/** Whether this command may have created the home: nothing of a ledger was there before it. */
export function homeWasNew(before: HomeBefore): boolean {
  return before === null || !['db', 'home.json', 'ledger-head.json'].some((name) => before.has(name));
}

/**
 * Takes back the home a failed first command created, if its ledger holds
 * no event: decided and done while holding the database's lock. The home
 * stays when that cannot be told (the database cannot be opened again).
 */
export async function undoNewHomeIfEmpty(world: World, options: GlobalOptions, home: StateHome, before: HomeBefore, claimsWritten: readonly string[]): Promise<void> {
  if ((readHeadFile(ledgerHeadFile(home.root))?.seq ?? 0) !== 0) return;
  if (!existsSync(join(home.db, 'CURRENT'))) {
    undoNewHome(home.root, before, claimsWritten, world.pid);
    return;
  }
  let database;
  try {
    database = await openHomeDatabase(world, { ...options, quiet: true }, home.db, false);
  } catch {
    return;
  }
  try {
    if ((await databaseHead(database.db)).seq === 0) undoNewHome(home.root, before, claimsWritten, world.pid);
  } catch {
    // Best effort: the home stays, or what was not removed of it.
  } finally {
    await database.close().catch(() => undefined);
  }
}

/** Removes what the command added to the home's directory (the directory too, if it made it), and the store claims it wrote (store-claim.ts says what those are). */
function undoNewHome(root: string, before: HomeBefore, claimsWritten: readonly string[], pid: number): void {
  for (const claim of claimsWritten) removeTree(claim);
  if (before === null) {
    const away = `${root}.genledger-undone-${pid}`;
    renameSync(root, away);
    removeTree(away);
    return;
  }
  const away = join(root, `.genledger-undone-${pid}`);
  mkdirSync(away);
  for (const name of readdirSync(root)) if (!before.has(name) && join(root, name) !== away) renameSync(join(root, name), join(away, name));
  removeTree(away);
}
