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
 */
import { existsSync, readdirSync } from 'node:fs';
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

/** Removes what the command added to the home's directory (the directory too, if it made it), and the store claims it wrote (store-claim.ts says what those are). */
export function undoNewHome(root: string, before: HomeBefore, claimsWritten: readonly string[]): void {
  for (const claim of claimsWritten) removeTree(claim);
  if (before === null) {
    removeTree(root);
    return;
  }
  for (const name of readdirSync(root)) if (!before.has(name)) removeTree(join(root, name));
}

/**
 * Whether the home's ledger holds no event, committed or not; false when
 * that cannot be told (the database cannot be opened again): then the home
 * stays.
 */
export async function ledgerIsEmpty(world: World, options: GlobalOptions, home: StateHome): Promise<boolean> {
  try {
    if ((readHeadFile(ledgerHeadFile(home.root))?.seq ?? 0) !== 0) return false;
    if (!existsSync(join(home.db, 'CURRENT'))) return true;
    const database = await openHomeDatabase(world, { ...options, quiet: true }, home.db, false);
    try {
      return (await databaseHead(database.db)).seq === 0;
    } finally {
      await database.close();
    }
  } catch {
    return false;
  }
}
